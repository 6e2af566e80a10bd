package io.veritydb.crypto.merkle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Layout of one level file of {@link FileMerkleHashes} ({@code merkle-LL.hashes}, LL the level in
 * two decimal digits). Little-endian throughout.
 *
 * <pre>
 * header, 32 bytes:
 *  0        8         12      16           20         24         28       32
 *  +--------+---------+-------+------------+----------+----------+--------+
 *  | magic  | version | level | recordSize | hashSize | reserved | crc32c |
 *  +--------+---------+-------+------------+----------+----------+--------+
 *  magic "VRTYMRKL" as bytes; version 1; recordSize 36; hashSize 32; reserved 0;
 *  crc32c over bytes [0, 28).
 *
 * record i (node (level, i)) at 32 + 36 * i:
 *  0                   32       36
 *  +-------------------+--------+
 *  | hash (32 bytes)   | crc32c |   crc32c over level (1 byte) || i (u64 LE) || hash
 *  +-------------------+--------+
 * </pre>
 *
 * The record checksum covers the node's level and index, so a record copied to another place is
 * detected as well as a flipped bit. A file ends after its last whole record. On open, the records
 * after the known-synced ones are checked and the file is cut at the first bad one (a hole left by
 * a power loss in the unsynced part) or at a partial record.
 */
final class MerkleHashFileLayout {
  static final byte[] MAGIC = {'V', 'R', 'T', 'Y', 'M', 'R', 'K', 'L'};
  static final int VERSION = 1;

  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = 8;
  static final int LEVEL_OFFSET = 12;
  static final int RECORD_SIZE_OFFSET = 16;
  static final int HASH_SIZE_OFFSET = 20;
  static final int RESERVED_OFFSET = 24;
  static final int HEADER_CRC_OFFSET = 28;
  static final int HEADER_LENGTH = 32;

  static final int RECORD_HASH_OFFSET = 0;
  static final int RECORD_CRC_OFFSET = 32;
  static final int RECORD_LENGTH = 36;

  /** The checksummed prefix of a record's hash: level (1 byte) || index (u64 LE). */
  private static final int CRC_PREFIX_LENGTH = 9;

  private MerkleHashFileLayout() {}

  static long recordOffset(long index) {
    return HEADER_LENGTH + index * RECORD_LENGTH;
  }

  static ByteBuffer header(int level) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC_OFFSET, MAGIC);
    b.putInt(VERSION_OFFSET, VERSION);
    b.putInt(LEVEL_OFFSET, level);
    b.putInt(RECORD_SIZE_OFFSET, RECORD_LENGTH);
    b.putInt(HASH_SIZE_OFFSET, MerkleHash.LENGTH);
    b.putInt(RESERVED_OFFSET, 0);
    b.putInt(HEADER_CRC_OFFSET, headerCrc(b));
    return b;
  }

  static int headerCrc(ByteBuffer header) {
    CRC32C crc = new CRC32C();
    crc.update(header.array(), header.arrayOffset(), HEADER_CRC_OFFSET);
    return (int) crc.getValue();
  }

  /** The checksum of record {@code index} of {@code level} whose hash is at {@code hashOffset}. */
  static int recordCrc(int level, long index, byte[] hash, int hashOffset) {
    return recordCrc(new CRC32C(), new byte[CRC_PREFIX_LENGTH], level, index, hash, hashOffset);
  }

  /**
   * {@link #recordCrc(int, long, byte[], int)} with a caller's {@code crc} and 9-byte {@code
   * prefix} scratch, for bulk checks: two array updates (hardware CRC32C) instead of nine one-byte
   * ones.
   */
  static int recordCrc(
      CRC32C crc, byte[] prefix, int level, long index, byte[] hash, int hashOffset) {
    prefix[0] = (byte) level;
    for (int i = 0; i < 8; i++) {
      prefix[1 + i] = (byte) (index >>> (8 * i));
    }
    crc.reset();
    crc.update(prefix, 0, CRC_PREFIX_LENGTH);
    crc.update(hash, hashOffset, MerkleHash.LENGTH);
    return (int) crc.getValue();
  }
}
