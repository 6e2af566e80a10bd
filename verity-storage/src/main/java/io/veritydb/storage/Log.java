package io.veritydb.storage;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash-chained, append-only log: segment files of bounded size in one directory, every record
 * checksummed (CRC32C) and chained (BLAKE3), an offset index for reads by position, chain marks
 * (position, chain hash; {@link #mark()}), and recovery on open (see {@link Recovery}).
 *
 * <p>One writer: {@link #append}, {@link #mark} and {@link #close} are serialised. Reads ({@link
 * #read}, {@link #iterate}) may run on other threads at the same time; they see records up to the
 * last position published by a completed append.
 *
 * <p>After an append fails (I/O error, failed fsync) the log refuses further appends: whether the
 * failed batch reached the disk is unknown, and only a reopen (recovery) can tell.
 */
public final class Log implements AutoCloseable {
  /** The last published record: read by readers without a lock. */
  private record Tip(long position, ChainHash chainHash) {}

  /** Source of the zeros written ahead of the write position (never written to). */
  private static final byte[] ZEROS = new byte[256 << 10];

  private static final Logger LOG = LoggerFactory.getLogger(Log.class);

  /** The least a segment is preallocated ahead of its records (unless preallocate is smaller). */
  static final long MIN_AHEAD = 64 << 10;

  private final FileIo io;
  private final Path dir;
  private final LogOptions options;
  private final LogLimits limits;
  private final Digester digester;
  private final ChainMarks marks;
  private final Damage damage;
  private final Appender appender;
  private volatile Segment[] segments;
  private volatile Tip tip;
  private volatile boolean closed;
  private String failure;

  /** The records of the last append as stored; see {@link #lastAppended()}. */
  private StoredRecords lastAppended;

  private Log(FileIo io, Path dir, LogOptions options, Digester digester, Recovery r) {
    this.io = io;
    this.dir = dir;
    this.options = options;
    this.limits = r.limits;
    this.digester = digester;
    this.marks = r.marks;
    this.damage = r.damage;
    this.segments = r.segments.toArray(new Segment[0]);
    this.tip = new Tip(r.lastPosition, r.lastChain);
    this.appender = options.readOnly() ? null : new Appender(options, digester, r.lastChain);
    if (appender != null && !r.segments.isEmpty()) {
      Segment last = r.segments.get(r.segments.size() - 1);
      last.allocated(last.handle().size());
    }
  }

  /**
   * Opens (creating when missing, unless read-only) the log in {@code dir}, running recovery: every
   * record is checked; a torn tail is cut off; corruption fails the open with a {@link
   * io.veritydb.types.CorruptionException} naming segment, offset and position, unless {@link
   * LogOptions#readOnly()}, which opens up to the damage and reports it in {@link #damage()}.
   */
  public static Log open(FileIo io, Path dir, LogOptions options) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(dir, "dir");
    Checks.checkNotNull(options, "options");
    Digester digester = new Digester(options.parallelism());
    try {
      Recovery r = Recovery.run(io, dir, options, digester);
      return new Log(io, dir, options, digester, r);
    } catch (RuntimeException e) {
      digester.close();
      throw e;
    }
  }

  /**
   * Checks every CRC and the whole chain of the log in {@code dir} without changing anything, and
   * reports the first damage, if any.
   */
  public static VerifyReport verify(FileIo io, Path dir, int parallelism) {
    LogOptions options = LogOptions.builder().readOnly(true).parallelism(parallelism).build();
    try (Log log = open(io, dir, options)) {
      return new VerifyReport(
          log.lastPosition(),
          log.lastChainHash(),
          log.marks(),
          log.marks.path(),
          log.damage().orElse(null));
    }
  }

  public Path directory() {
    return dir;
  }

  public LogPosition lastPosition() {
    return LogPosition.of(tip.position);
  }

  /** The chain hash after the last record ({@link io.veritydb.crypto.Blake3#GENESIS} if empty). */
  public ChainHash lastChainHash() {
    return tip.chainHash;
  }

  /** The damage found at open: a repaired torn tail, or (read-only only) corruption. */
  public Optional<Damage> damage() {
    return Optional.ofNullable(damage);
  }

  /**
   * Appends {@code entries} at consecutive positions with one write and one fsync, all in one
   * segment (a new one when the batch does not fit in the current one); returns the last position.
   * Durable when it returns.
   */
  public synchronized LogPosition append(List<LogEntry> entries) {
    checkWritable();
    Checks.checkNotNull(entries, "entries");
    if (entries.isEmpty()) {
      throw new BadRequestException("cannot append an empty batch");
    }
    long first = tip.position + 1;
    Appender.Batch batch = appender.encode(entries, first);
    Segment[] current = segments;
    int bytes = batch.totalLength();
    try {
      Segment segment = current.length == 0 ? null : current[current.length - 1];
      boolean created = false;
      // A batch is never split across segments: it is one write and one fsync, so recovery can
      // tell a batch torn by a power loss from damage (see TailInspector). A batch larger than a
      // segment gets a segment of its own, as an oversized record always did.
      if (segment == null
          || (segment.count() > 0 && segment.end() + bytes > options.segmentSize())) {
        if (segment != null) {
          trimFreeSpace(segment);
        }
        Path path = dir.resolve(Segment.fileName(first));
        segment = new Segment(path, first, io.open(path, FileIo.Mode.CREATE));
        current = Arrays.copyOf(current, current.length + 1);
        current[current.length - 1] = segment;
        created = true;
      }
      boolean writeHeader = options.preallocate() > 0 && segment.count() == 0 && segment.end() == 0;
      if (writeHeader) {
        segment.startAfterHeader();
      }
      FileHandle handle = segment.handle();
      if (writeHeader) {
        handle.write(ByteBuffer.wrap(SegmentDescriptor.encode(segment.firstPosition())), 0);
      }
      handle.write(ByteBuffer.wrap(batch.buffer(), 0, bytes), segment.end());
      segment.allocated(segment.end() + bytes);
      preallocate(segment, segment.end() + bytes);
      Checks.checkState(
          segment.allocated() >= segment.end() + bytes,
          "allocated",
          segment.allocated(),
          "batch end",
          segment.end() + bytes);
      handle.sync();
      if (created) {
        io.syncDirectory(dir);
      }
      for (int i = 0; i < batch.count(); i++) {
        segment.add(segment.end() + batch.length(i));
      }
      segments = current;
    } catch (RuntimeException e) {
      failure = "append at position " + first + " failed: " + e.getMessage();
      for (int i = segments.length; i < current.length; i++) {
        current[i].close();
      }
      throw e;
    }
    appender.commit();
    tip = new Tip(first + batch.count() - 1, appender.chain());
    lastAppended = new StoredRecords(first, batch);
    return LogPosition.of(tip.position);
  }

  /**
   * The records of the last {@link #append} as stored (header and stored payload, without the CRC:
   * what {@link LogRecord#storedBytes()} returns), for a caller deriving data from them (the Merkle
   * tree) without reading them back. Valid until the next append: call it from the writer, right
   * after the append.
   */
  public synchronized StoredRecords lastAppended() {
    Checks.checkState(lastAppended != null, "nothing was appended since the log opened", 0);
    return lastAppended;
  }

  /** A view of the records of one append, over the appender's reused buffer. */
  public static final class StoredRecords {
    private final long first;
    private final Appender.Batch batch;

    StoredRecords(long first, Appender.Batch batch) {
      this.first = first;
      this.batch = batch;
    }

    /** The position of the first record. */
    public long firstPosition() {
      return first;
    }

    public int count() {
      return batch.count();
    }

    /** A copy of record {@code i}'s stored bytes (0-based within the append). */
    public byte[] storedBytes(int i) {
      Checks.checkArgument(i >= 0 && i < batch.count(), "record", i, "count", batch.count());
      int offset = batch.offset(i);
      return Arrays.copyOfRange(
          batch.buffer(), offset, offset + batch.length(i) - RecordDescriptor.CRC_LENGTH);
    }
  }

  /**
   * Writes zeros ahead of {@code end} in a segment with a header when less than half of the
   * distance to preallocate is left: that distance is as much as the segment already holds, at
   * least {@value #MIN_AHEAD} bytes and at most {@link LogOptions#preallocate()}, so a small log
   * does not pay for megabytes of zeros and a busy one extends rarely. The zeros go up to {@code
   * end + distance} (4 KiB aligned, at most the segment size) and are synced by the caller with the
   * records. A failed zero write (a full disk) is not an append failure: the zeros are an
   * optimisation, whatever part of them reached the file is free space, and the segment then grows
   * by appending.
   */
  private void preallocate(Segment segment, long end) {
    long ahead = Math.min(options.preallocate(), Math.max(MIN_AHEAD, end));
    if (ahead == 0
        || !segment.headed()
        || segment.preallocationFailure() != null
        || segment.allocated() - end >= ahead / 2) {
      return;
    }
    Checks.checkArgument(end <= segment.allocated(), "end", end, "allocated", segment.allocated());
    long target = Math.min(options.segmentSize(), (end + ahead + 4095) & ~4095L);
    long from = Math.max(segment.allocated(), end);
    try {
      for (long at = from; at < target; at += ZEROS.length) {
        segment
            .handle()
            .write(ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, target - at)), at);
        segment.allocated(Math.min(target, at + ZEROS.length));
      }
    } catch (UnavailableException e) {
      segment.stopPreallocating(e.getMessage());
    }
  }

  /**
   * A clean close gives back the preallocated space of the last segment, so a closed log takes no
   * more disk than its records. When the disk is unavailable (an I/O error, or a simulated crash
   * before close) the zeros stay: they are valid free space that the next open accepts and the next
   * append reuses, so nothing is lost by keeping them.
   */
  private static void trimOnClose(Segment segment) {
    try {
      trimFreeSpace(segment);
    } catch (UnavailableException e) {
      LOG.warn("kept the preallocated free space of log segment {}: {}", segment, e.getMessage());
    }
  }

  /** Cuts the free space after the last record of a writable segment, and syncs. */
  private static void trimFreeSpace(Segment segment) {
    FileHandle handle = segment.handle();
    long size = handle.size();
    Checks.checkState(size >= segment.end(), "file size", size, "end of records", segment.end());
    if (size > segment.end()) {
      handle.truncate(segment.end());
      handle.sync();
      segment.truncated(segment.end());
    }
  }

  /** The record at {@code position}; corruption fails with CorruptionException. */
  public LogRecord read(LogPosition position) {
    checkOpen();
    long p = Checks.checkNotNull(position, "position").value();
    long last = tip.position;
    if (p < 1 || p > last) {
      throw new BadRequestException(
          "log position " + p + " is out of range: the log holds positions 1.." + last);
    }
    Segment segment = segmentOf(p);
    long offset = segment.offsetOf(p);
    int length = (int) (segment.endOf(p) - offset);
    byte[] bytes = new byte[length];
    int n = segment.handle().read(ByteBuffer.wrap(bytes), offset);
    return new RecordReader(limits.maxPayload()).decode(bytes, 0, n, p, segment, offset, true);
  }

  /** A cursor over the records from {@code from} (1..last+1) to the end. */
  public LogCursor iterate(LogPosition from) {
    checkOpen();
    long p = Checks.checkNotNull(from, "from").value();
    long last = tip.position;
    if (p < 1 || p > last + 1) {
      throw new BadRequestException(
          "cannot iterate from log position " + p + ": the log holds positions 1.." + last);
    }
    return new Cursor(this, p, limits.maxPayload());
  }

  /**
   * Durably records a chain mark (last position, last chain hash) in {@code marks.dat} and returns
   * it: an open with {@link LogOptions.OpenCheck#FROM_LAST_MARK} hashes the chain only after the
   * last one.
   */
  public synchronized ChainMark mark() {
    checkWritable();
    Tip t = tip;
    ChainMark m = new ChainMark(LogPosition.of(t.position), t.chainHash);
    marks.append(m);
    return m;
  }

  /** Every chain mark recorded, oldest first. */
  public synchronized List<ChainMark> marks() {
    return marks.list();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (appender != null && failure == null && segments.length > 0) {
        trimOnClose(segments[segments.length - 1]);
      }
    } finally {
      closeFiles();
    }
  }

  private void closeFiles() {
    try {
      for (Segment s : segments) {
        s.close();
      }
      marks.close();
    } finally {
      digester.close();
    }
  }

  /** The segment holding published position {@code p}. */
  Segment segmentOf(long p) {
    Segment[] all = segments;
    int lo = 0;
    int hi = all.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (all[mid].firstPosition() <= p) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    Segment s = all[lo];
    Checks.checkState(s.firstPosition() <= p, "position", p, "segment first", s.firstPosition());
    return s;
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("log " + dir + " is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (appender == null) {
      throw new BadRequestException("log " + dir + " is open read-only for inspection");
    }
    if (failure != null) {
      throw new UnavailableException(
          "log "
              + dir
              + " refuses appends after a failure; reopen it to recover ("
              + failure
              + ")");
    }
  }
}
