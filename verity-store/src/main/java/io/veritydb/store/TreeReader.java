package io.veritydb.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

  /** Reads what a lookup wants from the entry it found. */
  private interface EntryRead<T> {
    T read(LeafNode leaf, int index);
  }

  private static final EntryRead<Long> POSITION = (leaf, index) -> leaf.position(index);

  private final EntryRead<byte[]> valueRead = this::value;

  /** The value of {@code key} visible at {@code at} in the tree at {@code rootPage}, or null. */
  byte[] get(int rootPage, byte[] key, long at) {
    return visible(rootPage, key, at, valueRead);
  }

  /**
   * The position of the version of {@code key} visible at {@code at} (a tombstone included), or -1
   * when the key has none then.
   */
  long versionAt(int rootPage, byte[] key, long at) {
    Long position = visible(rootPage, key, at, POSITION);
    return position == null ? -1 : position;
  }

  /**
   * {@code read} of the entry of {@code key} visible at {@code at} (its newest version at or before
   * {@code at}: one descent), or null when the key has none then.
   */
  private <T> T visible(int rootPage, byte[] key, long at, EntryRead<T> read) {
    if (rootPage == 0) {
      return null;
    }
    Node node = cache.node(rootPage);
    int depth = 0;
    while (node instanceof BranchNode branch) {
      if (depth++ >= TreeCursor.MAX_HEIGHT) {
        throw TreeCursor.tooDeep(cache, branch.page);
      }
      node = cache.node(branch.children[branch.childFor(key, at)]);
    }
    LeafNode leaf = (LeafNode) node;
    int index = leaf.lowerBound(key, at);
    if (index < leaf.count) {
      return leaf.keyEquals(index, key) ? read.read(leaf, index) : null;
    }
    // The version sought may start the next leaf.
    TreeCursor cursor = new TreeCursor(cache, rootPage);
    cursor.seekGe(key, at);
    if (!cursor.valid() || !cursor.keyEquals(key)) {
      return null;
    }
    return read.read(cursor.leaf(), cursor.index());
  }

  /** The caller's copy of the value of entry {@code i} of {@code leaf}; null for a tombstone. */
  byte[] value(LeafNode leaf, int i) {
    return switch (leaf.kind(i)) {
      case LeafNode.KIND_VALUE -> leaf.value(i);
      case LeafNode.KIND_TOMBSTONE -> null;
      default -> readOverflow(leaf.overflowFirstPage(i), leaf.overflowLength(i));
    };
  }

  static byte[] overflowRef(int firstPage, int length) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(firstPage)
        .putInt(length)
        .array();
  }

  static int overflowPageCount(int length) {
    return (length + OverflowLayout.CAPACITY - 1) / OverflowLayout.CAPACITY;
  }

  private byte[] readOverflow(int firstPage, int length) {
    int page = firstPage;
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
