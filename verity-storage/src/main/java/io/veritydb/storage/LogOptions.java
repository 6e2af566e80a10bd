package io.veritydb.storage;

import io.veritydb.types.Checks;

/** Settings of a {@link Log}; build with {@link #builder()}. Immutable. */
public final class LogOptions {
  public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
  public static final int DEFAULT_COMPRESSION_THRESHOLD = 1024;
  public static final int DEFAULT_MAX_PAYLOAD = 16 << 20;
  public static final int DEFAULT_MAX_BATCH_BYTES = 64 << 20;
  public static final int MAX_PARALLELISM = 16;

  /** The largest {@link #maxPayload()} an open may ask for: 256 MiB. */
  public static final int MAX_PAYLOAD = 256 << 20;

  /** Default of {@link #preallocate()}: 4 MiB of zeros written ahead of the write position. */
  public static final long DEFAULT_PREALLOCATE = 4L << 20;

  /** How much of the hash chain {@link Log#open} recomputes. */
  public enum OpenCheck {
    /** Every record: CRC, structure and the whole chain from genesis (the default). */
    FULL,
    /**
     * Every record's CRC and structure, but the chain only after the last chain mark ({@link
     * Log#mark()}), starting from the chain hash recorded there: opening costs a CRC per old record
     * instead of two BLAKE3 calls. Tampering before the mark that also fixed the CRCs is then found
     * by {@link Log#verify}, not by open.
     */
    FROM_LAST_MARK,
    /**
     * The same as {@link #FROM_LAST_MARK}, under the name it had when chain marks were called log
     * checkpoints; {@link Builder#openCheck} records it as {@link #FROM_LAST_MARK}.
     *
     * @deprecated use {@link #FROM_LAST_MARK}
     */
    @Deprecated
    FROM_LAST_CHECKPOINT
  }

  private final long segmentSize;
  private final int compressionThreshold;
  private final boolean readOnly;
  private final int parallelism;
  private final int maxPayload;
  private final int maxBatchBytes;
  private final OpenCheck openCheck;
  private final long preallocate;

  private LogOptions(Builder b) {
    this.segmentSize = b.segmentSize;
    this.compressionThreshold = b.compressionThreshold;
    this.readOnly = b.readOnly;
    this.parallelism = b.parallelism;
    this.maxPayload = b.maxPayload;
    this.maxBatchBytes = b.maxBatchBytes;
    this.openCheck = b.openCheck;
    this.preallocate = b.preallocate;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults: 64 MiB segments preallocated 4 MiB at a time, LZ4 from 1 KiB, read-write, up to 2
   * hashing threads.
   */
  public static LogOptions defaults() {
    return builder().build();
  }

  /**
   * A segment is closed when the next batch would make it larger than this (bytes); a batch is
   * never split across segments, and one larger than this gets a segment of its own.
   */
  public long segmentSize() {
    return segmentSize;
  }

  /** Payloads of at least this many bytes are LZ4-compressed when that makes them smaller. */
  public int compressionThreshold() {
    return compressionThreshold;
  }

  /** Open for inspection: no truncation, no appends; damage is reported instead of failing. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Threads that compute record digests (1: everything on the caller's thread). */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Largest payload (as given and as stored) this open writes, in bytes. Reading uses the limits
   * recorded in the log directory, which are at least this.
   */
  public int maxPayload() {
    return maxPayload;
  }

  /** Largest batch, in encoded bytes. */
  public int maxBatchBytes() {
    return maxBatchBytes;
  }

  /** How much of the chain open recomputes (default {@link OpenCheck#FULL}). */
  public OpenCheck openCheck() {
    return openCheck;
  }

  /**
   * At most this many bytes of zeros are written (not a sparse extension) ahead of the write
   * position of a segment (as much as the segment holds, at least 64 KiB), in one write synced with
   * the append that needs them, so that the fsync of later appends overwrites blocks the file
   * already has instead of growing it (which would also commit the size change to the file system's
   * journal). 0 turns it off: segments are then written in the format without a segment header and
   * grow by appending. Never beyond {@link #segmentSize()}.
   */
  public long preallocate() {
    return preallocate;
  }

  /** Builder with the defaults. */
  public static final class Builder {
    private long segmentSize = DEFAULT_SEGMENT_SIZE;
    private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
    private boolean readOnly;
    private int parallelism = Math.min(2, Runtime.getRuntime().availableProcessors());
    private int maxPayload = DEFAULT_MAX_PAYLOAD;
    private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private OpenCheck openCheck = OpenCheck.FULL;
    private long preallocate = DEFAULT_PREALLOCATE;

    private Builder() {}

    /** 0 (off) or 4 KiB to 1 GiB; see {@link LogOptions#preallocate()}. */
    public Builder preallocate(long bytes) {
      Checks.checkArgument(
          bytes == 0 || (bytes >= 4096 && bytes <= (1L << 30)), "preallocate", bytes);
      this.preallocate = bytes;
      return this;
    }

    /** {@link OpenCheck#FROM_LAST_CHECKPOINT} is recorded as {@link OpenCheck#FROM_LAST_MARK}. */
    public Builder openCheck(OpenCheck check) {
      Checks.checkNotNull(check, "openCheck");
      this.openCheck = check == OpenCheck.FROM_LAST_CHECKPOINT ? OpenCheck.FROM_LAST_MARK : check;
      return this;
    }

    /** 4 KiB to 1 GiB. */
    public Builder segmentSize(long bytes) {
      Checks.checkArgument(bytes >= 4096 && bytes <= (1L << 30), "segmentSize", bytes);
      this.segmentSize = bytes;
      return this;
    }

    /** At least 1; {@link Integer#MAX_VALUE} turns compression off. */
    public Builder compressionThreshold(int bytes) {
      Checks.checkArgument(bytes >= 1, "compressionThreshold", bytes);
      this.compressionThreshold = bytes;
      return this;
    }

    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** 1 to {@value #MAX_PARALLELISM}; 1 keeps everything on the caller's thread. */
    public Builder parallelism(int threads) {
      Checks.checkArgument(threads >= 1 && threads <= MAX_PARALLELISM, "parallelism", threads);
      this.parallelism = threads;
      return this;
    }

    /**
     * 0 to {@link #MAX_PAYLOAD}: the largest payload this open writes. The log records the largest
     * limit any open used, and reads with that.
     */
    public Builder maxPayload(int bytes) {
      Checks.checkArgument(bytes >= 0 && bytes <= MAX_PAYLOAD, "maxPayload", bytes);
      this.maxPayload = bytes;
      return this;
    }

    /** 1 KiB to 1 GiB. */
    public Builder maxBatchBytes(int bytes) {
      Checks.checkArgument(bytes >= 1024 && bytes <= (1 << 30), "maxBatchBytes", bytes);
      this.maxBatchBytes = bytes;
      return this;
    }

    public LogOptions build() {
      return new LogOptions(this);
    }
  }
}
