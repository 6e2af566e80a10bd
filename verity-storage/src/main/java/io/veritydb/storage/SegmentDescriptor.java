package io.veritydb.storage;

import java.util.zip.CRC32C;

/**
 * The header of a preallocated segment file (format 2). Little-endian, 32 bytes, written once at
 * offset 0 together with the segment's first records; records follow from offset 32.
 *
 * <pre>
 *   0               4       6       8                               16
 *   +---------------+-------+-------+-------------------------------+
 *   | magic "VSEG"  | vers. | hdrlen| first position (long)         |
 *   +---------------+-------+-------+---------------+---------------+
 *  16              20              24              28              32
 *   | flags (0)     | reserved (0)  | reserved (0)  | CRC32C [0,28) |
 *   +---------------+---------------+---------------+---------------+
 *   32: records ..., then zero-filled free space up to the file size
 * </pre>
 *
 * <p>The header is what makes zeros after the last record mean "free space": the writer extends
 * such a segment with written zero bytes ahead of the write position, so that the per-commit fsync
 * overwrites allocated blocks instead of growing the file. In a segment without this header (format
 * 1, which starts directly with a record) the file size is the end of the log, as before, and zeros
 * after the last record are a torn tail.
 */
final class SegmentDescriptor {
  private SegmentDescriptor() {}

  /** "VSEG" read as a little-endian int. */
  static final int MAGIC = 0x47455356;

  static final short VERSION = 1;
  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = 4;
  static final int HEADER_LENGTH_OFFSET = 6;
  static final int FIRST_POSITION_OFFSET = 8;
  static final int FLAGS_OFFSET = 16;
  static final int RESERVED_OFFSET = 20;
  static final int CRC_OFFSET = 28;

  /** Length of the header; the first record starts here. */
  static final int LENGTH = 32;

  /** The header of a segment whose first record is at {@code firstPosition}. */
  static byte[] encode(long firstPosition) {
    byte[] b = new byte[LENGTH];
    RecordCodec.putInt(b, MAGIC_OFFSET, MAGIC);
    b[VERSION_OFFSET] = (byte) VERSION;
    b[HEADER_LENGTH_OFFSET] = (byte) LENGTH;
    RecordCodec.putLong(b, FIRST_POSITION_OFFSET, firstPosition);
    RecordCodec.putInt(b, CRC_OFFSET, crc(b));
    return b;
  }

  /** Whether {@code b} (at least 4 bytes) starts with the segment header magic. */
  static boolean hasMagic(byte[] b, int length) {
    return length >= 4 && RecordCodec.getInt(b, MAGIC_OFFSET) == MAGIC;
  }

  /**
   * Null when the {@code length} bytes of {@code b} hold a valid header of the segment starting at
   * {@code firstPosition}, else the reason.
   */
  static String check(byte[] b, int length, long firstPosition) {
    if (length < LENGTH) {
      return "segment header incomplete: " + length + " of " + LENGTH + " bytes";
    }
    if (RecordCodec.getInt(b, CRC_OFFSET) != crc(b)) {
      return "segment header CRC32C mismatch";
    }
    if (RecordCodec.getShort(b, VERSION_OFFSET) != VERSION) {
      return "unknown segment format version " + RecordCodec.getShort(b, VERSION_OFFSET);
    }
    if (RecordCodec.getShort(b, HEADER_LENGTH_OFFSET) != LENGTH) {
      return "bad segment header length " + RecordCodec.getShort(b, HEADER_LENGTH_OFFSET);
    }
    if (RecordCodec.getInt(b, FLAGS_OFFSET) != 0
        || RecordCodec.getInt(b, RESERVED_OFFSET) != 0
        || RecordCodec.getInt(b, RESERVED_OFFSET + 4) != 0) {
      return "segment header flags or reserved bytes are not zero";
    }
    long first = RecordCodec.getLong(b, FIRST_POSITION_OFFSET);
    if (first != firstPosition) {
      return "segment header names first position " + first + ", the file name " + firstPosition;
    }
    return null;
  }

  private static int crc(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, CRC_OFFSET);
    return (int) crc.getValue();
  }
}
