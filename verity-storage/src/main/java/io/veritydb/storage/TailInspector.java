package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;
import static io.veritydb.storage.RecordDescriptor.MAGIC;

import io.veritydb.io.FileHandle;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Decides whether a bad stretch at the end of the last segment is a torn tail (an append that did
 * not complete: safe to cut off) or damage to data that was whole (never cut off).
 *
 * <p>Nothing valid after the bad offset: a torn tail, unless the bad record becomes valid by
 * flipping a single bit (a bit flip in stored data, which no torn write produces; searched for
 * records of at most {@link #FLIP_SEARCH_LIMIT} bytes). One case stays ambiguous: a flip that
 * clears the last set bit of a record, leaving its end all zeros, looks exactly like a torn write
 * that zeroed the end, and is treated as a torn tail.
 *
 * <p>Valid records after the bad offset: a <b>torn batch</b> when they all belong to the batch the
 * bad record is in, and that batch is the last one written. An append is one write and one fsync of
 * one segment, and a disk with a volatile write cache may persist the sectors of that write in any
 * order when the power fails during the fsync; nothing of the batch was acknowledged (acks follow
 * the fsync). The batch is recognised by {@link RecordDescriptor#FLAG_BATCH_END} on its last
 * record: it is a torn batch when at most one of the valid records after the bad offset carries the
 * flag and no valid record follows that one, their positions increase (consecutively where records
 * are adjacent) after the bad record's, the batch (from the end of the last flagged record before
 * the bad offset, or the segment's first record) spans at most {@link LogOptions#maxBatchBytes()}
 * bytes up to the last valid record, some record of the log carries the flag (a log written before
 * it keeps the old rule: corruption), the bad stretch shows a lost sector (a sector of the batch's
 * write that reads as zeros, see {@link #lostSector}), and the bad record is not a single bit flip
 * from valid. Anything else is corruption.
 */
final class TailInspector {
  /** The single-bit-flip search covers bad records up to this length (cost 8 x length^2). */
  static final int FLIP_SEARCH_LIMIT = 4096;

  /**
   * The search for a valid record reads this much at a time: a torn batch may have many holes, each
   * followed closely by the next valid record, so reading megabytes per search would be wasted.
   */
  private static final int SEARCH_CHUNK = 64 << 10;

  /** The unit a disk writes atomically, and loses whole in a power failure. */
  static final int SECTOR = 512;

  /**
   * The classification of a bad stretch: {@code corruption} (with {@code why}), or a torn write,
   * with {@code why} describing a torn batch (null for a plain torn tail).
   */
  record Verdict(boolean corruption, String why) {
    static final Verdict TORN_TAIL = new Verdict(false, null);

    static Verdict corrupt(String why) {
      return new Verdict(true, why);
    }
  }

  private final int maxPayload;
  private final long maxBatchBytes;
  private final CRC32C crc = new CRC32C();

  TailInspector(int maxPayload, long maxBatchBytes) {
    this.maxPayload = maxPayload;
    this.maxBatchBytes = maxBatchBytes;
  }

  /**
   * Classifies the stretch from {@code offset}, where the record at {@code expectedPosition} should
   * start. In a segment with a header ({@code headed}) the rest of the file after the last record
   * is zero-filled free space; exactly one set bit in it is a bit flip (no torn write leaves that),
   * anything more is a torn append (a prefix of the write starting at {@code offset}, or blocks of
   * an extension that the file system had not written yet). {@code batchStart}: where the batch
   * holding the bad record starts; {@code batchEndSeen}: whether a record before {@code offset}
   * carries the batch-end flag.
   */
  Verdict inspect(
      FileHandle handle,
      long offset,
      long expectedPosition,
      boolean headed,
      long batchStart,
      boolean batchEndSeen) {
    long fileSize = handle.size();
    long found = validRecordAfter(handle, offset + 1, fileSize);
    if (found >= 0) {
      if (singleBitFlip(handle, offset, fileSize, expectedPosition)) {
        return Verdict.corrupt(
            "a valid record follows at byte offset "
                + found
                + "; the record differs from a valid one by a single bit flip");
      }
      String notTorn =
          notOneTornBatch(handle, offset, expectedPosition, found, batchStart, batchEndSeen);
      if (notTorn != null) {
        return Verdict.corrupt("a valid record follows at byte offset " + found + "; " + notTorn);
      }
      return new Verdict(
          false,
          "a torn batch: valid records of the same unacknowledged batch follow from byte offset "
              + found
              + " (the batch starts at byte offset "
              + batchStart
              + ")");
    }
    if (headed && setBits(handle, offset, fileSize, 2) == 1) {
      return Verdict.corrupt("the zero-filled free space differs from zeros by a single bit flip");
    }
    if (singleBitFlip(handle, offset, fileSize, expectedPosition)) {
      return Verdict.corrupt("the record differs from a valid one by a single bit flip");
    }
    return Verdict.TORN_TAIL;
  }

  /**
   * Null when every valid record from {@code first} on lies in the batch that the bad record at
   * {@code offset} belongs to and that batch is the last one in the file; else why not.
   */
  private String notOneTornBatch(
      FileHandle handle,
      long offset,
      long expectedPosition,
      long first,
      long batchStart,
      boolean batchEndSeen) {
    long fileSize = handle.size();
    byte[] header = new byte[HEADER_LENGTH];
    boolean flagged = batchEndSeen;
    long batchEnd = -1;
    boolean lostHeader = lostHeader(handle, offset, first);
    if (!lostHeader && !lostSector(handle, offset, first)) {
      return "no whole sector of the batch before it reads as zeros, as a sector lost in a power"
          + " failure does";
    }
    long previousPosition = lostHeader ? expectedPosition - 1 : expectedPosition;
    long previousEnd = -1;
    for (long at = first; at >= 0; ) {
      if (batchEnd >= 0) {
        return "it follows the end of a batch at byte offset "
            + batchEnd
            + ", so more than the last batch is damaged";
      }
      handle.read(ByteBuffer.wrap(header), at);
      long position = RecordCodec.position(header, 0);
      if (position <= previousPosition
          || (at == previousEnd && position != previousPosition + 1)
          || (position - expectedPosition) * RecordDescriptor.OVERHEAD > at - offset) {
        return "the record at byte offset "
            + at
            + " has position "
            + position
            + ", which does not continue the log before the damage at position "
            + expectedPosition;
      }
      if ((RecordCodec.getInt(header, RecordDescriptor.FLAGS_OFFSET)
              & RecordDescriptor.FLAG_BATCH_END)
          != 0) {
        batchEnd = at;
        flagged = true;
      }
      previousPosition = position;
      previousEnd = at + RecordCodec.totalLength(RecordCodec.storedLength(header, 0));
      at =
          recordAt(handle, previousEnd, fileSize)
              ? previousEnd
              : validRecordAfter(handle, previousEnd, fileSize);
    }
    if (!flagged) {
      return "no record carries the batch-end flag (a log written before it), so the batch of the"
          + " damaged record cannot be told";
    }
    if (previousEnd - batchStart > maxBatchBytes) {
      return "the valid records after it end "
          + (previousEnd - batchStart)
          + " bytes after the start of its batch at byte offset "
          + batchStart
          + ", more than a batch may hold ("
          + maxBatchBytes
          + ")";
    }
    return null;
  }

  /**
   * Whether the bad stretch [offset, next) (next: the first valid record after it) shows a lost
   * sector: a piece of the batch's write in one 512-byte sector of the file that overlaps the
   * stretch and reads as zeros. A batch is written over zeros (the segment's preallocated free
   * space, or the end of the file), so a sector that did not reach the disk reads as zeros. The
   * pieces of a batch's write are whole sectors, except the first one (from the batch's start to
   * the next sector boundary); when that one is lost, the batch's first record is the bad one, so
   * it starts at {@code offset}. The piece tested in the sector holding {@code offset} therefore
   * starts at {@code offset}: it begins with a record magic, so it is never zero when it was
   * written. Requiring this keeps a bit flip in a large record (beyond the single-flip search) of
   * an acknowledged batch from being taken for a torn batch.
   */
  private static boolean lostSector(FileHandle handle, long offset, long next) {
    byte[] sector = new byte[SECTOR];
    for (long s = offset / SECTOR * SECTOR; s + SECTOR <= next; s += SECTOR) {
      if (setBits(handle, Math.max(s, offset), s + SECTOR, 1, sector) == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a new segment's header was lost with its first batch: the header and the first batch
   * are written together and synced once, so a header that reads as zeros before valid records at
   * {@code next} (its end) belongs to that torn batch.
   */
  private static boolean lostHeader(FileHandle handle, long offset, long next) {
    return offset == 0
        && next == SegmentDescriptor.LENGTH
        && setBits(handle, 0, next, 1, new byte[SegmentDescriptor.LENGTH]) == 0;
  }

  /** The number of set bits in [from, to) of the file, counting stops at {@code limit}. */
  private static int setBits(FileHandle handle, long from, long to, int limit) {
    return setBits(
        handle, from, to, limit, new byte[(int) Math.min(64 << 10, Math.max(1, to - from))]);
  }

  /** {@link #setBits(FileHandle, long, long, int)} reading through {@code chunk}. */
  private static int setBits(FileHandle handle, long from, long to, int limit, byte[] chunk) {
    int bits = 0;
    for (long base = from; base < to && bits < limit; ) {
      int n = handle.read(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, to - base)), base);
      if (n == 0) {
        break;
      }
      for (int i = 0; i < n && bits < limit; i++) {
        bits += Integer.bitCount(chunk[i] & 0xFF);
      }
      base += n;
    }
    return bits;
  }

  /** Offset of the first whole record with a good CRC at or after {@code from}, or -1. */
  long validRecordAfter(FileHandle handle, long from, long fileSize) {
    byte[] chunk = new byte[(int) Math.min(SEARCH_CHUNK + 3, Math.max(0, fileSize - from))];
    for (long base = from; base + HEADER_LENGTH <= fileSize; base += SEARCH_CHUNK) {
      int n = handle.read(ByteBuffer.wrap(chunk), base);
      for (int i = 0; i + 4 <= n && i < SEARCH_CHUNK; i++) {
        if (RecordCodec.getInt(chunk, i) == MAGIC && recordAt(handle, base + i, fileSize)) {
          return base + i;
        }
      }
    }
    return -1;
  }

  private boolean recordAt(FileHandle handle, long offset, long fileSize) {
    if (fileSize - offset < HEADER_LENGTH) {
      return false;
    }
    byte[] header = new byte[HEADER_LENGTH];
    handle.read(ByteBuffer.wrap(header), offset);
    if (RecordCodec.checkHeader(header, 0, maxPayload) != null) {
      return false;
    }
    int stored = RecordCodec.storedLength(header, 0);
    int total = RecordCodec.totalLength(stored);
    if (total > fileSize - offset) {
      return false;
    }
    byte[] record = new byte[total];
    handle.read(ByteBuffer.wrap(record), offset);
    return RecordCodec.crcMatches(crc, record, 0, stored);
  }

  private boolean singleBitFlip(FileHandle handle, long offset, long fileSize, long position) {
    byte[] bytes = new byte[(int) Math.min(fileSize - offset, FLIP_SEARCH_LIMIT)];
    handle.read(ByteBuffer.wrap(bytes), offset);
    // A flip at or after the last non-zero byte only sets a bit in a zeroed end: never counted
    // (see zeros below), so the search stops there; this keeps it short before free space.
    int nonZeroEnd = bytes.length;
    while (nonZeroEnd > 0 && bytes[nonZeroEnd - 1] == 0) {
      nonZeroEnd--;
    }
    for (int i = 0; i < nonZeroEnd; i++) {
      for (int bit = 0; bit < 8; bit++) {
        bytes[i] ^= (byte) (1 << bit);
        boolean valid = validAt(bytes, position);
        int end = valid ? RecordCodec.totalLength(RecordCodec.storedLength(bytes, 0)) : 0;
        bytes[i] ^= (byte) (1 << bit);
        if (valid && !zeros(bytes, i, end)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether bytes [from, to) are all zero: then the "flip" only sets a bit in a zeroed tail of the
   * record, which is exactly what a torn write that zeroed the record's end looks like.
   */
  private static boolean zeros(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean validAt(byte[] bytes, long position) {
    if (bytes.length < HEADER_LENGTH
        || RecordCodec.checkHeader(bytes, 0, maxPayload) != null
        || RecordCodec.position(bytes, 0) != position) {
      return false;
    }
    int stored = RecordCodec.storedLength(bytes, 0);
    return RecordCodec.totalLength(stored) <= bytes.length
        && RecordCodec.crcMatches(crc, bytes, 0, stored);
  }
}
