package io.veritydb.store;

import io.veritydb.types.Checks;
import java.nio.ByteBuffer;

/**
 * Body of a packed leaf page (page type {@link PageLayout#TYPE_PACKED_LEAF}, written since store
 * version 2): the key prefix every entry of the leaf shares is stored once, and each entry stores
 * only the rest of its key, with variable-length integers (unsigned LEB128: 7 bits per byte, low
 * groups first, high bit = more) for its lengths and position. Entries are in (key ascending,
 * position descending) order. Little-endian.
 *
 * <pre>
 *  0             2             4
 *  +-------------+-------------+--------------------+-------------------------------------+
 *  | prefixLen   | reserved 0  | prefix bytes       | entries...                          |
 *  | u16         | u16         | prefixLen          |                                     |
 *  +-------------+-------------+--------------------+-------------------------------------+
 *  entry:
 *  +------+---------------+---------------+------------------+-------------+-------------+
 *  | kind | suffixLen     | valueLen      | position         | key suffix  | value bytes |
 *  | u8   | varint, 1-2 B | varint, 1-2 B | varint, 1-9 B    | suffixLen   | valueLen    |
 *  +------+---------------+---------------+------------------+-------------+-------------+
 *  key = prefix ++ suffix; kinds as in LeafLayout (overflow: value = first page u32 | length u32)
 * </pre>
 *
 * A typical row version (a 26-byte key of which ~20 bytes are the table's prefix, a 3-byte
 * position) costs 4 bytes of header and 6 of key instead of 13 and 26 in the {@link LeafLayout}
 * form. In memory a leaf is always held in the {@link LeafLayout} form (fixed offsets for binary
 * search); this is only how it is written. {@link LeafNode#packedSize()} bounds the encoded size
 * (exact except that a suffix length is counted with the varint size of the whole key length), and
 * the writer splits leaves by that bound, so an encoded leaf always fits its page.
 */
final class PackedLeafLayout {
  private PackedLeafLayout() {}

  static final int PREFIX_LENGTH_OFFSET = 0;
  static final int RESERVED_OFFSET = 2;
  static final int HEADER = 4;

  /** Bytes of an unsigned LEB128 encoding of {@code v} (v >= 0). */
  static int varintSize(long v) {
    return (70 - Long.numberOfLeadingZeros(v | 1)) / 7;
  }

  /** The bound {@link LeafNode} counts for one entry, prefix not subtracted. */
  static int entrySize(int keyLength, int valueLength, long position) {
    return 1
        + varintSize(keyLength)
        + varintSize(valueLength)
        + varintSize(position)
        + keyLength
        + valueLength;
  }

  private static int putVarint(byte[] out, int at, long v) {
    int i = at;
    while ((v & ~0x7FL) != 0) {
      out[i++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[i++] = (byte) v;
    return i;
  }

  /** Encodes {@code leaf} into {@code page}, a heap buffer whose array starts at the page. */
  static void encode(LeafNode leaf, ByteBuffer page, long generation) {
    Checks.checkArgument(page.hasArray() && page.arrayOffset() == 0, "page buffer", 0);
    byte[] out = page.array();
    byte[] data = leaf.data;
    int prefix = leaf.commonPrefix(0, leaf.count);
    int base = PageLayout.HEADER_SIZE;
    page.putShort(base + PREFIX_LENGTH_OFFSET, (short) prefix);
    page.putShort(base + RESERVED_OFFSET, (short) 0);
    int at = base + HEADER;
    if (leaf.count > 0) {
      System.arraycopy(data, leaf.offsets[0] + LeafLayout.ENTRY_HEADER, out, at, prefix);
      at += prefix;
    }
    for (int i = 0; i < leaf.count; i++) {
      int keyLength = leaf.keyLength(i);
      int valueLength = leaf.valueLength(i);
      int rest = keyLength - prefix + valueLength;
      out[at++] = leaf.kind(i);
      at = putVarint(out, at, keyLength - prefix);
      at = putVarint(out, at, valueLength);
      at = putVarint(out, at, leaf.position(i));
      System.arraycopy(data, leaf.offsets[i] + LeafLayout.ENTRY_HEADER + prefix, out, at, rest);
      at += rest;
    }
    int used = at - base;
    Checks.checkState(
        used <= leaf.packedSize() && used <= PageLayout.BODY_SIZE,
        "packed leaf size",
        used,
        "bound",
        leaf.packedSize());
    PageLayout.seal(page, PageLayout.TYPE_PACKED_LEAF, leaf.count, leaf.page, generation, used, 0);
  }

  /** Reads varints of a page body, checking every byte against the used length. */
  private static final class Reader {
    final ByteBuffer page;
    final int end;
    int at;
    boolean bad;

    Reader(ByteBuffer page, int at, int end) {
      this.page = page;
      this.at = at;
      this.end = end;
    }

    long varint(int maxBytes) {
      long v = 0;
      for (int shift = 0, n = 0; n < maxBytes; n++, shift += 7) {
        if (at >= end) {
          bad = true;
          return -1;
        }
        int b = page.get(at++) & 0xFF;
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      bad = true;
      return -1;
    }
  }

  /**
   * Decodes a verified packed leaf page into the in-memory ({@link LeafLayout}) form; null with
   * {@code problem[0]} set when malformed.
   */
  static LeafNode decode(ByteBuffer page, int pageNumber, String[] problem) {
    int count = Short.toUnsignedInt(page.getShort(PageLayout.COUNT_OFFSET));
    int used = page.getInt(PageLayout.USED_OFFSET);
    int base = PageLayout.HEADER_SIZE;
    if (used < HEADER) {
      problem[0] = "used length " + used + " is shorter than the packed leaf header";
      return null;
    }
    int prefix = Short.toUnsignedInt(page.getShort(base + PREFIX_LENGTH_OFFSET));
    if (prefix > LeafLayout.MAX_KEY || HEADER + prefix > used) {
      problem[0] = "key prefix of " + prefix + " bytes is out of range";
      return null;
    }
    if ((long) count * 4 > used - HEADER - prefix) {
      problem[0] = count + " entries cannot fit " + used + " used bytes";
      return null;
    }
    int prefixAt = base + HEADER;
    Reader in = new Reader(page, prefixAt + prefix, base + used);
    // In memory every entry grows by its full header and the prefix: size the array once.
    byte[] data = new byte[Math.max(16, used + count * (LeafLayout.ENTRY_HEADER + prefix))];
    int[] offsets = new int[Math.max(count, 1)];
    int bytes = 0;
    int packedSum = 0;
    for (int i = 0; i < count; i++) {
      if (in.at >= in.end) {
        problem[0] = "entry " + i + " runs past the used length";
        return null;
      }
      byte kind = page.get(in.at++);
      long suffix = in.varint(2);
      long valueLength = in.varint(3);
      long position = in.varint(9);
      if (in.bad
          || kind < LeafNode.KIND_VALUE
          || kind > LeafNode.KIND_OVERFLOW
          || position < 0
          || prefix + suffix > LeafLayout.MAX_KEY
          || valueLength > PageLayout.BODY_SIZE
          || (kind == LeafNode.KIND_OVERFLOW && valueLength != 8)
          || (kind == LeafNode.KIND_TOMBSTONE && valueLength != 0)
          || in.at + suffix + valueLength > in.end) {
        problem[0] =
            "entry " + i + " is malformed (key suffix " + suffix + ", value " + valueLength + ")";
        return null;
      }
      if (kind == LeafNode.KIND_OVERFLOW) {
        int value = in.at + (int) suffix;
        String bad = LeafLayout.checkOverflowReference(page.getInt(value), page.getInt(value + 4));
        if (bad != null) {
          problem[0] = "entry " + i + " " + bad;
          return null;
        }
      }
      int keyLength = prefix + (int) suffix;
      int size = LeafLayout.entrySize(keyLength, (int) valueLength);
      if (bytes + size > data.length) {
        problem[0] = "entry " + i + " does not fit the decoded leaf";
        return null;
      }
      offsets[i] = bytes;
      LeafNode.writeHeader(data, bytes, keyLength, kind, (int) valueLength, position);
      int keyAt = bytes + LeafLayout.ENTRY_HEADER;
      page.get(prefixAt, data, keyAt, prefix);
      page.get(in.at, data, keyAt + prefix, (int) suffix + (int) valueLength);
      in.at += (int) suffix + (int) valueLength;
      bytes += size;
      packedSum += entrySize(keyLength, (int) valueLength, position);
    }
    if (in.at != in.end) {
      problem[0] = "entries end at " + (in.at - base) + " but the used length is " + used;
      return null;
    }
    LeafNode leaf =
        new LeafNode(pageNumber, Node.IMMUTABLE, data, offsets, count, bytes, packedSum);
    String order = LeafLayout.checkOrder(leaf);
    if (order != null) {
      problem[0] = order;
      return null;
    }
    return leaf;
  }
}
