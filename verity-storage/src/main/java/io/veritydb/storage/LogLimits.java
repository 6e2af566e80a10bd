package io.veritydb.storage;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The limits that decide how a log is read: the largest payload and the largest batch any open ever
 * allowed to be written. They live in the log directory ({@code limits.dat}), not in each open's
 * {@link LogOptions}: a record written under a larger limit must never look damaged (and be cut off
 * as a torn tail) to an open, a verifier or a command line tool with smaller options.
 *
 * <p>A writable open raises the recorded limits to its options before anything is appended (never
 * lowers them); its own options still bound what it writes. A log written before this file existed
 * is read with the format's maxima. Layout, little-endian, 20 bytes:
 *
 * <pre>
 *   0               4       6       8               12              16              20
 *   +---------------+-------+-------+---------------+---------------+---------------+
 *   | magic "VLIM"  | vers. | 0     | max payload   | max batch     | CRC32C [0,16) |
 *   +---------------+-------+-------+---------------+---------------+---------------+
 * </pre>
 */
record LogLimits(int maxPayload, int maxBatchBytes) {
  static final String FILE_NAME = "limits.dat";

  /** "VLIM" read as a little-endian int. */
  static final int MAGIC = 0x4D494C56;

  static final short VERSION = 1;
  static final int LENGTH = 20;

  /** The largest values {@link LogOptions} accepts: what a log of unknown limits may hold. */
  static final LogLimits FORMAT_MAXIMA = new LogLimits(LogOptions.MAX_PAYLOAD, 1 << 30);

  static LogLimits of(LogOptions options) {
    return new LogLimits(options.maxPayload(), options.maxBatchBytes());
  }

  /** The larger of each limit. */
  LogLimits max(LogLimits other) {
    return new LogLimits(
        Math.max(maxPayload, other.maxPayload), Math.max(maxBatchBytes, other.maxBatchBytes));
  }

  /**
   * The limits to read the log in {@code dir} with. A writable open ({@code options} not read-only)
   * first records them, raised to its options, durably; {@code hasRecords} tells whether the log
   * already holds segments (then a missing file means a log of unknown limits).
   */
  static LogLimits settle(FileIo io, Path dir, LogOptions options, boolean hasRecords) {
    Path file = dir.resolve(FILE_NAME);
    LogLimits recorded = io.exists(file) ? read(io, file) : null;
    LogLimits base = recorded != null ? recorded : hasRecords ? FORMAT_MAXIMA : null;
    if (options.readOnly()) {
      return base != null ? base : FORMAT_MAXIMA;
    }
    LogLimits wanted = base == null ? of(options) : base.max(of(options));
    if (!wanted.equals(recorded)) {
      write(io, dir, file, wanted);
    }
    return wanted;
  }

  static LogLimits read(FileIo io, Path file) {
    byte[] b = new byte[LENGTH];
    try (FileHandle handle = io.open(file, FileIo.Mode.READ)) {
      long size = handle.size();
      if (size != LENGTH) {
        throw corrupt(file, "is " + size + " bytes, expected " + LENGTH);
      }
      ByteBuffer buffer = ByteBuffer.wrap(b);
      while (buffer.hasRemaining()) {
        if (handle.read(buffer, buffer.position()) <= 0) {
          throw corrupt(file, "ended while reading it");
        }
      }
    }
    if (RecordCodec.getInt(b, 0) != MAGIC) {
      throw corrupt(file, "has bad magic");
    }
    if (RecordCodec.getInt(b, 16) != crc(b)) {
      throw corrupt(file, "fails its CRC32C");
    }
    if (b[4] != VERSION || b[5] != 0 || b[6] != 0 || b[7] != 0) {
      throw corrupt(file, "has unknown version " + b[4]);
    }
    int maxPayload = RecordCodec.getInt(b, 8);
    int maxBatch = RecordCodec.getInt(b, 12);
    if (maxPayload < 0
        || maxPayload > FORMAT_MAXIMA.maxPayload
        || maxBatch < 1024
        || maxBatch > FORMAT_MAXIMA.maxBatchBytes) {
      throw corrupt(file, "holds limits out of range: " + maxPayload + ", " + maxBatch);
    }
    return new LogLimits(maxPayload, maxBatch);
  }

  private static void write(FileIo io, Path dir, Path file, LogLimits limits) {
    byte[] b = new byte[LENGTH];
    RecordCodec.putInt(b, 0, MAGIC);
    b[4] = (byte) VERSION;
    RecordCodec.putInt(b, 8, limits.maxPayload);
    RecordCodec.putInt(b, 12, limits.maxBatchBytes);
    RecordCodec.putInt(b, 16, crc(b));
    Path temp = dir.resolve(FILE_NAME + ".tmp");
    io.delete(temp);
    try (FileHandle handle = io.open(temp, FileIo.Mode.CREATE)) {
      handle.write(ByteBuffer.wrap(b), 0);
      handle.sync();
    }
    io.rename(temp, file);
    io.syncDirectory(dir);
  }

  private static int crc(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, 16);
    return (int) crc.getValue();
  }

  private static CorruptionException corrupt(Path file, String what) {
    return new CorruptionException(
        "log limits file " + file + " " + what + " (it records the largest record the log holds)");
  }
}
