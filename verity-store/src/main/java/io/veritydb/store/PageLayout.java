package io.veritydb.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The header every 4 KiB page of the store file starts with. Little-endian.
 *
 * <pre>
 *  0        4      5        6          8                  16                 24       28       32
 *  +--------+------+--------+----------+------------------+------------------+--------+--------+
 *  | crc32c | type | format | count    | page number      | generation       | used   | link   |
 *  | u32    | u8   | u8     | u16      | u64              | u64              | u32    | u32    |
 *  +--------+------+--------+----------+------------------+------------------+--------+--------+
 *  | body: PAGE_SIZE - 32 bytes, laid out by the page type (see LeafLayout, BranchLayout, ...)  |
 *  +-------------------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>The CRC32C covers bytes [4, 4096): a torn or bit-flipped page, a page written at the wrong
 * place (page number mismatch) and a never-written page (all zeros) all fail verification. {@code
 * generation} is the flush generation that wrote the page (diagnostics only). {@code used} is the
 * number of body bytes in use; {@code link} is a page number whose meaning depends on the type
 * (next overflow or free-list page, 0 for none).
 */
final class PageLayout {
  private PageLayout() {}

  static final int PAGE_SIZE = 4096;
  static final int HEADER_SIZE = 32;
  static final int BODY_SIZE = PAGE_SIZE - HEADER_SIZE;

  static final int CRC_OFFSET = 0;
  static final int TYPE_OFFSET = 4;
  static final int FORMAT_OFFSET = 5;
  static final int COUNT_OFFSET = 6;
  static final int PAGE_NUMBER_OFFSET = 8;
  static final int GENERATION_OFFSET = 16;
  static final int USED_OFFSET = 24;
  static final int LINK_OFFSET = 28;

  static final byte FORMAT = 1;

  static final byte TYPE_SUPERBLOCK = 1;
  static final byte TYPE_LEAF = 2;
  static final byte TYPE_BRANCH = 3;
  static final byte TYPE_OVERFLOW = 4;
  static final byte TYPE_FREE_LIST = 5;

  /** A leaf in {@link PackedLeafLayout} (store version 2); {@link #TYPE_LEAF} is version 1's. */
  static final byte TYPE_PACKED_LEAF = 6;

  /** Passed to {@link #verify} when either a leaf or a branch is acceptable. */
  static final byte TYPE_TREE_NODE = 0;

  /** A fresh little-endian page buffer. */
  static ByteBuffer allocate() {
    return ByteBuffer.allocate(PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
  }

  static String typeName(int type) {
    return switch (type) {
      case TYPE_SUPERBLOCK -> "superblock";
      case TYPE_LEAF -> "leaf";
      case TYPE_BRANCH -> "branch";
      case TYPE_OVERFLOW -> "overflow";
      case TYPE_FREE_LIST -> "free-list";
      case TYPE_PACKED_LEAF -> "packed leaf";
      default -> "unknown(" + type + ")";
    };
  }

  /** Fills the header fields and the checksum of a page whose body is already written. */
  static void seal(
      ByteBuffer page, byte type, int count, long pageNumber, long generation, int used, int link) {
    page.put(TYPE_OFFSET, type);
    page.put(FORMAT_OFFSET, FORMAT);
    page.putShort(COUNT_OFFSET, (short) count);
    page.putLong(PAGE_NUMBER_OFFSET, pageNumber);
    page.putLong(GENERATION_OFFSET, generation);
    page.putInt(USED_OFFSET, used);
    page.putInt(LINK_OFFSET, link);
    page.putInt(CRC_OFFSET, checksum(page));
  }

  static int checksum(ByteBuffer page) {
    CRC32C crc = new CRC32C();
    if (page.hasArray()) {
      crc.update(page.array(), page.arrayOffset() + 4, PAGE_SIZE - 4);
    } else {
      crc.update(page.duplicate().limit(PAGE_SIZE).position(4));
    }
    return (int) crc.getValue();
  }

  /**
   * Why {@code page}, read from {@code pageNumber}, cannot be trusted, or null when it verifies as
   * a page of {@code expectedType}.
   */
  static String verify(ByteBuffer page, long pageNumber, byte expectedType) {
    int stored = page.getInt(CRC_OFFSET);
    int actual = checksum(page);
    if (stored != actual) {
      return String.format("checksum mismatch (stored %08x, computed %08x)", stored, actual);
    }
    if (page.get(FORMAT_OFFSET) != FORMAT) {
      return "unknown page format " + page.get(FORMAT_OFFSET);
    }
    long number = page.getLong(PAGE_NUMBER_OFFSET);
    if (number != pageNumber) {
      return "page header names page " + number;
    }
    byte type = page.get(TYPE_OFFSET);
    boolean typeOk =
        expectedType == TYPE_TREE_NODE
            ? type == TYPE_LEAF || type == TYPE_PACKED_LEAF || type == TYPE_BRANCH
            : type == expectedType;
    if (!typeOk) {
      String expected = expectedType == TYPE_TREE_NODE ? "tree" : typeName(expectedType);
      return "expected a " + expected + " page, found " + typeName(type);
    }
    int used = page.getInt(USED_OFFSET);
    if (used < 0 || used > BODY_SIZE) {
      return "used length " + used + " out of range";
    }
    return null;
  }
}
