package io.veritydb.store;

import java.nio.ByteBuffer;

/**
 * Body of a leaf page: {@code count} entries packed one after another, in (key ascending, position
 * descending) order. Little-endian.
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

  static void encode(LeafNode leaf, ByteBuffer page, long generation) {
    int at = PageLayout.HEADER_SIZE;
    for (int i = 0; i < leaf.count; i++) {
      byte[] key = leaf.keys[i];
      byte[] value = leaf.values[i];
      page.putShort(at, (short) key.length);
      page.put(at + 2, leaf.kinds[i]);
      page.putShort(at + 3, (short) value.length);
      page.putLong(at + 5, leaf.positions[i]);
      page.put(at + ENTRY_HEADER, key);
      page.put(at + ENTRY_HEADER + key.length, value);
      at += entrySize(key.length, value.length);
    }
    int used = at - PageLayout.HEADER_SIZE;
    io.veritydb.types.Checks.checkState(used == leaf.bytes, "used", used, "bytes", leaf.bytes);
    PageLayout.seal(page, PageLayout.TYPE_LEAF, leaf.count, leaf.page, generation, used, 0);
  }

  /** Decodes a verified leaf page; returns null with {@code problem[0]} set when malformed. */
  static LeafNode decode(ByteBuffer page, int pageNumber, String[] problem) {
    int count = Short.toUnsignedInt(page.getShort(PageLayout.COUNT_OFFSET));
    int end = PageLayout.HEADER_SIZE + page.getInt(PageLayout.USED_OFFSET);
    LeafNode leaf = new LeafNode(pageNumber, Node.IMMUTABLE, Math.max(count, 1));
    int at = PageLayout.HEADER_SIZE;
    for (int i = 0; i < count; i++) {
      if (at + ENTRY_HEADER > end) {
        problem[0] = "entry " + i + " header runs past the used length";
        return null;
      }
      int keyLength = Short.toUnsignedInt(page.getShort(at));
      byte kind = page.get(at + 2);
      int valueLength = Short.toUnsignedInt(page.getShort(at + 3));
      long position = page.getLong(at + 5);
      if (keyLength > MAX_KEY
          || kind < LeafNode.KIND_VALUE
          || kind > LeafNode.KIND_OVERFLOW
          || at + entrySize(keyLength, valueLength) > end) {
        problem[0] =
            "entry " + i + " is malformed (key " + keyLength + ", value " + valueLength + ")";
        return null;
      }
      byte[] key = new byte[keyLength];
      page.get(at + ENTRY_HEADER, key);
      byte[] value = new byte[valueLength];
      page.get(at + ENTRY_HEADER + keyLength, value);
      leaf.insert(i, key, position, kind, value);
      at += entrySize(keyLength, valueLength);
    }
    if (at != end) {
      problem[0] = "entries end at " + at + " but the used length ends at " + end;
      return null;
    }
    return leaf;
  }
}
