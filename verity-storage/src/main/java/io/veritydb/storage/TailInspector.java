package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;
import static io.veritydb.storage.RecordDescriptor.MAGIC;

import io.veritydb.io.FileHandle;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Decides whether a bad stretch at the end of the last segment is a torn tail (an append that did
 * not complete: safe to cut off) or damage to data that was whole (never cut off). It is corruption
 * when, after the bad offset, any whole record with a good CRC follows, or when the bad record
 * becomes valid by flipping a single bit (a bit flip in stored data, which no torn write produces;
 * searched for records of at most {@link #FLIP_SEARCH_LIMIT} bytes). One case stays ambiguous: a
 * flip that clears the last set bit of a record, leaving its end all zeros, looks exactly like a
 * torn write that zeroed the end, and is treated as a torn tail.
 */
final class TailInspector {
  /** The single-bit-flip search covers bad records up to this length (cost 8 x length^2). */
  static final int FLIP_SEARCH_LIMIT = 4096;

  private final int maxPayload;
  private final CRC32C crc = new CRC32C();

  TailInspector(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /**
   * A reason the stretch from {@code offset} is corruption, or null when it is a torn tail. In a
   * segment with a header ({@code headed}) the rest of the file after the last record is
   * zero-filled free space; exactly one set bit in it is a bit flip (no torn write leaves that),
   * anything more is a torn append (a prefix of the write starting at {@code offset}, or blocks of
   * an extension that the file system had not written yet).
   */
  String corruptionReason(FileHandle handle, long offset, long expectedPosition, boolean headed) {
    long fileSize = handle.size();
    long found = validRecordAfter(handle, offset + 1, fileSize);
    if (found >= 0) {
      return "a valid record follows at byte offset " + found;
    }
    if (headed && setBits(handle, offset, fileSize, 2) == 1) {
      return "the zero-filled free space differs from zeros by a single bit flip";
    }
    if (singleBitFlip(handle, offset, fileSize, expectedPosition)) {
      return "the record differs from a valid one by a single bit flip";
    }
    return null;
  }

  /** The number of set bits in [from, to) of the file, counting stops at {@code limit}. */
  private static int setBits(FileHandle handle, long from, long to, int limit) {
    byte[] chunk = new byte[(int) Math.min(64 << 10, Math.max(1, to - from))];
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
    byte[] chunk = new byte[(int) Math.min(SegmentScanner.CHUNK + 3, Math.max(0, fileSize - from))];
    for (long base = from; base + HEADER_LENGTH <= fileSize; base += SegmentScanner.CHUNK) {
      int n = handle.read(ByteBuffer.wrap(chunk), base);
      for (int i = 0; i + 4 <= n && i < SegmentScanner.CHUNK; i++) {
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
