package io.veritydb.store;

import java.nio.ByteBuffer;

/**
 * A leaf's entries in memory, and the body of a leaf page of store version 1 (page type {@link
 * PageLayout#TYPE_LEAF}): {@code count} entries one after another, in (key ascending, position
 * descending) order, each with a fixed header, so that entry i's fields are at fixed offsets from
 * its start. Little-endian. Since version 2 leaves are written in {@link PackedLeafLayout} (shared
 * key prefix, variable-length integers); pages of this form are still read.
 *
 * <pre>
 *  entry:
 *  0         2      3          5                 13              13+keyLen
 *  +---------+------+----------+-----------------+---------------+------------------+
 *  | keyLen  | kind | valueLen | position        | key bytes     | value bytes      |
 *  | u16     | u8   | u16      | u64             | keyLen        | valueLen         |
 *  +---------+------+----------+-----------------+---------------+------------------+
 *  kind 0: value inline; kind 1: tombstone (valueLen 0);
 *  kind 2: overflow, value = first overflow page u32 | total length u32 (valueLen 8)
 * </pre>
 */
final class LeafLayout {
  private LeafLayout() {}

  static final int ENTRY_HEADER = 13;

  /** Largest key accepted by the store. */
  static final int MAX_KEY = 1024;

  /** Largest encoded entry kept in a leaf; bigger values go to overflow pages. */
  static final int MAX_ENTRY = 1300;

  static int entrySize(int keyLength, int valueLength) {
    return ENTRY_HEADER + keyLength + valueLength;
  }

  /**
   * Decodes a verified version-1 leaf page; returns null with {@code problem[0]} set when
   * malformed.
   */
  static LeafNode decode(ByteBuffer page, int pageNumber, String[] problem) {
    int count = Short.toUnsignedInt(page.getShort(PageLayout.COUNT_OFFSET));
    int used = page.getInt(PageLayout.USED_OFFSET);
    byte[] data = new byte[used];
    page.get(PageLayout.HEADER_SIZE, data);
    int[] offsets = new int[Math.max(count, 1)];
    int at = 0;
    for (int i = 0; i < count; i++) {
      int base = PageLayout.HEADER_SIZE + at;
      if (at + ENTRY_HEADER > used) {
        problem[0] = "entry " + i + " header runs past the used length";
        return null;
      }
      int keyLength = Short.toUnsignedInt(page.getShort(base));
      byte kind = page.get(base + 2);
      int valueLength = Short.toUnsignedInt(page.getShort(base + 3));
      if (keyLength > MAX_KEY
          || kind < LeafNode.KIND_VALUE
          || kind > LeafNode.KIND_OVERFLOW
          || (kind == LeafNode.KIND_OVERFLOW && valueLength != 8)
          || at + entrySize(keyLength, valueLength) > used) {
        problem[0] =
            "entry " + i + " is malformed (key " + keyLength + ", value " + valueLength + ")";
        return null;
      }
      if (kind == LeafNode.KIND_OVERFLOW) {
        int value = base + ENTRY_HEADER + keyLength;
        String bad = checkOverflowReference(page.getInt(value), page.getInt(value + 4));
        if (bad != null) {
          problem[0] = "entry " + i + " " + bad;
          return null;
        }
      }
      offsets[i] = at;
      at += entrySize(keyLength, valueLength);
    }
    if (at != used) {
      problem[0] = "entries end at " + at + " but the used length is " + used;
      return null;
    }
    LeafNode leaf = new LeafNode(pageNumber, Node.IMMUTABLE, data, offsets, count, used);
    String order = checkOrder(leaf);
    if (order != null) {
      problem[0] = order;
      return null;
    }
    return leaf;
  }

  /**
   * Why an overflow entry's value (first page, total length) cannot be a reference this store
   * writes, or null when it can: the chain starts at a data page and holds 1 to {@link
   * PagedStore#MAX_VALUE_BYTES} bytes. Checked when a leaf is decoded, so that no reader sizes a
   * buffer or a loop by a damaged length.
   */
  static String checkOverflowReference(int firstPage, int length) {
    if (firstPage < SuperblockLayout.FIRST_DATA_PAGE) {
      return "names overflow page " + firstPage;
    }
    if (length < 1 || length > PagedStore.MAX_VALUE_BYTES) {
      return "names an overflow value of " + length + " bytes";
    }
    return null;
  }

  /** Why the entries of a decoded leaf are not in order, or null when they are. */
  static String checkOrder(LeafNode leaf) {
    for (int i = 1; i < leaf.count; i++) {
      if (compareEntries(leaf, i - 1, i) >= 0) {
        return "entries " + (i - 1) + " and " + i + " are out of order";
      }
    }
    return null;
  }

  private static int compareEntries(LeafNode leaf, int a, int b) {
    int ka = leaf.offsets[a] + ENTRY_HEADER;
    int kb = leaf.offsets[b] + ENTRY_HEADER;
    int c =
        java.util.Arrays.compareUnsigned(
            leaf.data, ka, ka + leaf.keyLength(a), leaf.data, kb, kb + leaf.keyLength(b));
    return c != 0 ? c : Long.compare(leaf.position(b), leaf.position(a));
  }
}
