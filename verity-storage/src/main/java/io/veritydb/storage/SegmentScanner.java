package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.FLAGS_OFFSET;
import static io.veritydb.storage.RecordDescriptor.FLAG_BATCH_END;
import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;
import static io.veritydb.storage.RecordDescriptor.OVERHEAD;

import io.veritydb.crypto.Blake3;
import io.veritydb.io.FileHandle;
import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.zip.CRC32C;

/**
 * Reads a segment front to back, checking every record (structure, position, CRC, chain) and
 * filling the segment's offset index with the records that pass. Stops at the first record that
 * does not; {@link Failure} says where and why. Digests of the records in one read chunk are
 * computed together (in parallel when the {@link Digester} has threads); the chain step is
 * sequential.
 */
final class SegmentScanner {
  static final int CHUNK = 1 << 20;

  /**
   * Where and why a scan stopped early; {@code certain}: certainly corruption, never a torn write
   * (the bytes were whole but the chain is broken, or a segment header is one bit from valid);
   * {@code headed}: the segment has a header, so what follows the last record should be zero-filled
   * free space.
   */
  record Failure(long offset, long position, String reason, boolean certain, boolean headed) {}

  private final int maxPayload;
  private final Digester digester;
  private final NavigableMap<Long, ChainHash> marks;
  private final CRC32C crc = new CRC32C();
  private final Blake3 blake3 = new Blake3();
  private final byte[] pair = new byte[2 * ChainHash.LENGTH];
  private byte[] buffer = new byte[4096];
  private int[] starts = new int[CHUNK / OVERHEAD + 1];
  private int[] lengths = new int[CHUNK / OVERHEAD + 1];
  private byte[] digests = new byte[(CHUNK / OVERHEAD + 1) * Blake3.LENGTH];

  /** The chain hash after the last record that passed, as raw bytes (updated in place). */
  private final byte[] chain;

  /**
   * Where the batch that the scan of the current segment stopped in starts: the end of the last
   * record carrying {@link RecordDescriptor#FLAG_BATCH_END}, or the segment's first record.
   */
  private long batchStart;

  /** Whether any record scanned so far, in any segment, carries the batch-end flag. */
  private boolean batchEndSeen;

  /** The next chain mark position to compare against, or -1. */
  private long nextMark;

  /**
   * Records up to this position are not chained: the chain resumes from the chain mark recorded at
   * it ({@link LogOptions.OpenCheck#FROM_LAST_MARK}); 0 chains everything.
   */
  private final long trustedUntil;

  SegmentScanner(
      int maxPayload,
      Digester digester,
      ChainHash chainBefore,
      NavigableMap<Long, ChainHash> marks,
      long trustedUntil) {
    Checks.checkArgument(
        trustedUntil == 0 || marks.containsKey(trustedUntil), "trustedUntil", trustedUntil);
    this.trustedUntil = trustedUntil;
    this.maxPayload = maxPayload;
    this.digester = digester;
    this.marks = marks;
    this.chain = chainBefore.toBytes();
    Long first = marks.ceilingKey(1L);
    this.nextMark = first == null ? -1 : first;
  }

  ChainHash chain() {
    return ChainHash.of(chain);
  }

  /**
   * The byte offset where the batch holding the first bad record of the last scan starts (batches
   * are never split across segments, so a segment's first record starts one).
   */
  long batchStart() {
    return batchStart;
  }

  /** Whether any record scanned carries the batch-end flag (false for logs written before it). */
  boolean batchEndSeen() {
    return batchEndSeen;
  }

  /**
   * Scans {@code segment} (whose index must be empty); returns null when every byte is valid: every
   * record, and in a segment with a header ({@link SegmentDescriptor}) the zero-filled free space
   * after the last record.
   */
  Failure scan(Segment segment) {
    Checks.checkState(segment.count() == 0, "index not empty", segment.count());
    FileHandle handle = segment.handle();
    long fileSize = handle.size();
    batchStart = 0;
    Failure header = readHeader(segment, fileSize);
    if (header != null) {
      return header;
    }
    batchStart = segment.end();
    long bufferStart = segment.end();
    int bufferLength = 0;
    int at = 0;
    int batch = 0;
    long expected = segment.firstPosition();
    while (true) {
      long offset = bufferStart + at;
      if (offset == fileSize) {
        return flush(segment, batch);
      }
      long remaining = fileSize - offset;
      int need = (int) Math.min(remaining, HEADER_LENGTH);
      boolean haveHeader = need == HEADER_LENGTH && bufferLength - at >= HEADER_LENGTH;
      String reason = haveHeader ? RecordCodec.checkHeader(buffer, at, maxPayload) : null;
      int total = haveHeader && reason == null ? RecordCodec.totalLength(storedLength(at)) : 0;
      if (bufferLength - at < need || bufferLength - at < Math.min(remaining, total)) {
        Failure failure = flush(segment, batch);
        if (failure != null) {
          return failure;
        }
        batch = 0;
        ensureCapacity((int) Math.min(Math.max(CHUNK, total), Math.max(total, remaining)));
        System.arraycopy(buffer, at, buffer, 0, bufferLength - at);
        bufferStart = offset;
        bufferLength -= at;
        at = 0;
        int n = read(handle, bufferStart + bufferLength, bufferLength);
        if (n == 0) {
          return fail(segment, batch, offset, expected, "unexpected end of file while reading");
        }
        bufferLength += n;
        continue;
      }
      if (need < HEADER_LENGTH) {
        return fail(segment, batch, offset, expected, "incomplete header: " + need + " bytes");
      }
      if (reason != null) {
        return fail(segment, batch, offset, expected, reason);
      }
      long position = RecordCodec.position(buffer, at);
      if (position != expected) {
        return fail(segment, batch, offset, expected, "record has position " + position);
      }
      int stored = storedLength(at);
      if (total > remaining) {
        return fail(
            segment, batch, offset, expected, "incomplete record: " + remaining + " of " + total);
      }
      if (!RecordCodec.crcMatches(crc, buffer, at, stored)) {
        return fail(segment, batch, offset, expected, "CRC32C mismatch");
      }
      if ((RecordCodec.getInt(buffer, at + FLAGS_OFFSET) & FLAG_BATCH_END) != 0) {
        batchStart = offset + total;
        batchEndSeen = true;
      }
      if (offset + total > Integer.MAX_VALUE) {
        return fail(segment, batch, offset, expected, "segment larger than 2 GiB");
      }
      growBatch(batch + 1);
      starts[batch] = at;
      lengths[batch] = stored;
      batch++;
      expected++;
      at += total;
    }
  }

  /**
   * Reads the segment header when the file starts with its magic: a valid one makes the records
   * start after it; a damaged one is a failure at offset 0. A file without it is in the format
   * without a header (records from offset 0, the file size is the end).
   */
  private Failure readHeader(Segment segment, long fileSize) {
    byte[] header = new byte[SegmentDescriptor.LENGTH];
    int n = segment.handle().read(ByteBuffer.wrap(header), 0);
    if (!SegmentDescriptor.hasMagic(header, n)) {
      return null;
    }
    String why = SegmentDescriptor.check(header, n, segment.firstPosition());
    if (why != null) {
      boolean flipped = oneBitFromValid(header, n, segment.firstPosition());
      return new Failure(
          0,
          segment.firstPosition(),
          flipped ? why + "; the header differs from a valid one by a single bit flip" : why,
          flipped,
          false);
    }
    Checks.checkState(fileSize >= n, "file size", fileSize, "header bytes", n);
    segment.startAfterHeader();
    return null;
  }

  private int storedLength(int at) {
    return RecordCodec.storedLength(buffer, at);
  }

  /**
   * The scan stops at {@code offset}: chains the pending records first (a broken chain before it is
   * the first damage). In a segment with a header, a stop where only zeros follow up to the file
   * size is the end of the records, not damage.
   */
  private Failure fail(Segment segment, int batch, long offset, long position, String reason) {
    Failure chainFailure = flush(segment, batch);
    if (chainFailure != null) {
      return chainFailure;
    }
    if (!segment.headed()) {
      return new Failure(offset, position, reason, false, false);
    }
    long nonZero = firstNonZero(segment.handle(), offset, segment.handle().size());
    if (nonZero < 0) {
      return null;
    }
    String where =
        nonZero == offset ? "" : "; the first non-zero byte after it is at offset " + nonZero;
    return new Failure(offset, position, reason + where, false, true);
  }

  /** Whether flipping one bit makes {@code header} valid (a bit flip, not a torn write). */
  private static boolean oneBitFromValid(byte[] header, int n, long firstPosition) {
    for (int i = 0; i < n; i++) {
      for (int bit = 0; bit < 8; bit++) {
        header[i] ^= (byte) (1 << bit);
        boolean valid = SegmentDescriptor.check(header, n, firstPosition) == null;
        header[i] ^= (byte) (1 << bit);
        if (valid) {
          return true;
        }
      }
    }
    return false;
  }

  /** The offset of the first non-zero byte in [from, to) of the file, or -1. */
  private long firstNonZero(FileHandle handle, long from, long to) {
    byte[] chunk = new byte[(int) Math.min(64 << 10, Math.max(1, to - from))];
    for (long base = from; base < to; ) {
      int n = handle.read(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, to - base)), base);
      if (n == 0) {
        return -1;
      }
      for (int i = 0; i < n; i++) {
        if (chunk[i] != 0) {
          return base + i;
        }
      }
      base += n;
    }
    return -1;
  }

  /**
   * Chains the records of the current batch; indexes those that link. The digests are computed on
   * the pool while this thread chains the ones already done (see {@link Digester#digestInOrder}).
   */
  private Failure flush(Segment segment, int batch) {
    if (batch == 0) {
      return null;
    }
    long bufferBase = segment.end() - starts[0];
    if (segment.nextPosition() + batch - 1 <= trustedUntil) {
      return chain(segment, bufferBase, 0, batch);
    }
    try (Digester.InOrder job = digester.digestInOrder(buffer, starts, lengths, batch, digests)) {
      int from = 0;
      while (from < batch) {
        int to = job.readyFrom(from);
        Failure failure = chain(segment, bufferBase, from, to);
        if (failure != null) {
          return failure;
        }
        from = to;
      }
    }
    return null;
  }

  /** Chains records [from, to) of the batch, whose digests are ready (unless trusted). */
  private Failure chain(Segment segment, long bufferBase, int from, int to) {
    for (int i = from; i < to; i++) {
      long position = segment.nextPosition();
      if (position <= trustedUntil) {
        if (position == nextMark) {
          ChainHash recorded = marks.get(nextMark);
          Long after = marks.higherKey(nextMark);
          nextMark = after == null ? -1 : after;
          if (position == trustedUntil) {
            recorded.copyTo(chain, 0);
          }
        }
        segment.add(bufferBase + starts[i] + RecordCodec.totalLength(lengths[i]));
        continue;
      }
      if (!RecordCodec.previousChainEquals(buffer, starts[i], chain)) {
        return new Failure(
            bufferBase + starts[i],
            position,
            "broken hash chain: previous chain hash does not match the chain before it",
            true,
            segment.headed());
      }
      System.arraycopy(chain, 0, pair, 0, ChainHash.LENGTH);
      System.arraycopy(digests, i * Blake3.LENGTH, pair, ChainHash.LENGTH, Blake3.LENGTH);
      blake3.hash(pair, 0, pair.length, chain, 0);
      if (position == nextMark && !markMatches()) {
        return new Failure(
            bufferBase + starts[i],
            position,
            "chain hash differs from the chain mark recorded at this position",
            true,
            segment.headed());
      }
      segment.add(bufferBase + starts[i] + RecordCodec.totalLength(lengths[i]));
    }
    return null;
  }

  private boolean markMatches() {
    ChainHash expected = marks.get(nextMark);
    Long after = marks.higherKey(nextMark);
    nextMark = after == null ? -1 : after;
    return expected.equals(ChainHash.of(chain));
  }

  private int read(FileHandle handle, long fileOffset, int into) {
    ByteBuffer target = ByteBuffer.wrap(buffer, into, buffer.length - into);
    return handle.read(target, fileOffset);
  }

  private void ensureCapacity(int bytes) {
    if (buffer.length < bytes) {
      buffer = Arrays.copyOf(buffer, Math.max(bytes, Math.min(CHUNK, 2 * buffer.length)));
    }
  }

  private void growBatch(int size) {
    if (starts.length < size) {
      int grown = Math.max(size, starts.length * 2);
      starts = Arrays.copyOf(starts, grown);
      lengths = Arrays.copyOf(lengths, grown);
      digests = Arrays.copyOf(digests, grown * Blake3.LENGTH);
    }
  }
}
