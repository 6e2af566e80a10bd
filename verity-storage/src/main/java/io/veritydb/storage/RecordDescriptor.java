package io.veritydb.storage;

/**
 * The layout of one log record on disk. All integers are little-endian.
 *
 * <pre>
 *   0               4       6       8               12              16
 *   +---------------+-------+-------+---------------+---------------+
 *   | magic "VLOG"  | vers. | hdrlen| stored length | uncompr. len  |
 *   +---------------+-------+-------+---------------+---------------+
 *  16                               24
 *   +-------------------------------+
 *   | position (long)               |
 *   +-------------------------------+-------------------------------+
 *  24                                                               56
 *   | previous chain hash (32 bytes)                                |
 *   +-------+-------+-------+-------+-------------------------------+
 *  56      57      58      60      64                              72
 *   | kind  | rsvd0 | rsvd0 | flags | tenant (long)                 |
 *   |       |       |       | (int) |                               |
 *   +-------+-------+-------+-------+-------------------------------+
 *  72                              80
 *   | timestamp, epoch micros (long)|
 *   +-------------------------------+-------------------------------+
 *  80                                            80 + stored length
 *   | payload as stored (LZ4-compressed when FLAG_COMPRESSED)       |
 *   +---------------------------------------------------------------+
 *   | CRC32C of bytes [0, 80 + stored length) (int)                 |
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The record's digest is BLAKE3 over the header without the previous-chain-hash field (bytes [0,
 * 24) and [56, 80)) followed by the payload as stored. Leaving the field out makes the digest of a
 * record independent of its predecessors, so the digests of many records can be computed in
 * parallel; the field is still bound to the chain because {@code chain(n) = BLAKE3(chain(n-1) ||
 * digest(n))} and recovery checks it equals {@code chain(n-1)}. The CRC covers the field.
 *
 * <p>Flags (int at 60): bit 0 {@link #FLAG_COMPRESSED} and bit 2 {@link #FLAG_BATCH_END} are set by
 * the log only; bit 1 {@link #FLAG_ENCRYPTED} and bits 3..31 are the caller's, stored as given.
 * Like every header byte, the flags are covered by the CRC and the digest.
 */
public final class RecordDescriptor {
  private RecordDescriptor() {}

  /** "VLOG" read as a little-endian int. */
  public static final int MAGIC = 0x474F4C56;

  public static final short VERSION = 1;

  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 4;
  public static final int HEADER_LENGTH_OFFSET = 6;
  public static final int STORED_LENGTH_OFFSET = 8;
  public static final int UNCOMPRESSED_LENGTH_OFFSET = 12;
  public static final int POSITION_OFFSET = 16;
  public static final int PREVIOUS_CHAIN_OFFSET = 24;
  public static final int KIND_OFFSET = 56;
  public static final int RESERVED_OFFSET = 57;
  public static final int FLAGS_OFFSET = 60;
  public static final int TENANT_OFFSET = 64;
  public static final int TIMESTAMP_OFFSET = 72;

  /** Length of the fixed header; the payload starts here. */
  public static final int HEADER_LENGTH = 80;

  /** Length of the trailing CRC32C. */
  public static final int CRC_LENGTH = 4;

  /** Header plus CRC: the size of a record with an empty payload. */
  public static final int OVERHEAD = HEADER_LENGTH + CRC_LENGTH;

  /** The payload is LZ4-compressed (set by the log only, never by a caller). */
  public static final int FLAG_COMPRESSED = 1;

  /** The payload is encrypted (set by the caller that encrypted it; the log only stores it). */
  public static final int FLAG_ENCRYPTED = 1 << 1;

  /**
   * The last record of an append (a batch written with one write and one fsync, never split across
   * segments); set by the log only. Recovery uses it to tell a batch torn by a power loss (valid
   * records of the same unacknowledged batch after a lost sector) from damage to acknowledged
   * records. Logs written before it existed have no record carrying it.
   */
  public static final int FLAG_BATCH_END = 1 << 2;

  /** Flags only the log may set. */
  public static final int LOG_FLAGS = FLAG_COMPRESSED | FLAG_BATCH_END;

  /** Kind 0 is never valid, so zeroed bytes never decode as a record. */
  public static final int KIND_INVALID = 0;

  /**
   * Reserved for a chain mark record (chain marks are kept in their own file, {@code marks.dat}).
   */
  public static final int KIND_CHAIN_MARK = 1;

  /** Kinds below this (unsigned) are reserved for the log itself; callers use 16..255. */
  public static final int FIRST_USER_KIND = 16;

  /** Total length on disk of a record with {@code storedLength} payload bytes. */
  public static int recordLength(int storedLength) {
    return OVERHEAD + storedLength;
  }
}
