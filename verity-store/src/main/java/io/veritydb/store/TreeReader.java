package io.veritydb.store;

import io.veritydb.types.Checks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads the versions of an immutable tree: the newest version at or before a position for one key,
 * and values whose bytes live in overflow chains. Any thread.
 */
final class TreeReader {
  private final PageCache cache;

  TreeReader(PageCache cache) {
    this.cache = cache;
  }

  PageCache cache() {
    return cache;
  }

  /** The value of {@code key} visible at {@code at} in the tree at {@code rootPage}, or null. */
  byte[] get(int rootPage, byte[] key, long at) {
    if (rootPage == 0) {
      return null;
    }
    Node node = cache.node(rootPage);
    int depth = 0;
    while (node instanceof BranchNode branch) {
      Checks.checkState(depth++ < TreeCursor.MAX_HEIGHT, "tree height", depth);
      node = cache.node(branch.children[branch.childFor(key, at)]);
    }
    LeafNode leaf = (LeafNode) node;
    int index = leaf.lowerBound(key, at);
    if (index < leaf.count) {
      if (!Arrays.equals(leaf.keys[index], key)) {
        return null;
      }
      return value(leaf.kinds[index], leaf.values[index], true);
    }
    // The version sought may start the next leaf.
    TreeCursor cursor = new TreeCursor(cache, rootPage);
    cursor.seekGe(key, at);
    if (!cursor.valid() || !Arrays.equals(cursor.key(), key)) {
      return null;
    }
    return value(cursor.kind(), cursor.rawValue(), true);
  }

  /** The caller's copy of a stored value; null for a tombstone. */
  byte[] value(byte kind, byte[] raw, boolean copy) {
    return switch (kind) {
      case LeafNode.KIND_VALUE -> copy ? raw.clone() : raw;
      case LeafNode.KIND_TOMBSTONE -> null;
      default -> readOverflow(raw);
    };
  }

  static byte[] overflowRef(int firstPage, int length) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(firstPage)
        .putInt(length)
        .array();
  }

  static int overflowFirstPage(byte[] ref) {
    return ByteBuffer.wrap(ref).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  static int overflowLength(byte[] ref) {
    return ByteBuffer.wrap(ref).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
  }

  static int overflowPageCount(int length) {
    return (length + OverflowLayout.CAPACITY - 1) / OverflowLayout.CAPACITY;
  }

  private byte[] readOverflow(byte[] ref) {
    int page = overflowFirstPage(ref);
    int length = overflowLength(ref);
    byte[] out = new byte[length];
    int at = 0;
    int pages = overflowPageCount(length);
    for (int i = 0; i < pages; i++) {
      OverflowNode node = cache.overflow(page);
      int n = node.data.length;
      if (n == 0 || at + n > length) {
        throw cache.corrupt(page, "overflow chain longer than its value of " + length + " bytes");
      }
      System.arraycopy(node.data, 0, out, at, n);
      at += n;
      page = node.next;
    }
    if (at != length || page != 0) {
      throw cache.corrupt(page, "overflow chain ends after " + at + " of " + length + " bytes");
    }
    return out;
  }
}
