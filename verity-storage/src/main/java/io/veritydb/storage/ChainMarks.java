package io.veritydb.storage;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.ChainHash;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The chain mark file {@value #FILE_NAME}: an append-only array of fixed 52-byte entries, each
 * synced before {@link Log#mark()} returns. Little-endian:
 *
 * <pre>
 *   0        4        8                16                               48       52
 *   +--------+--------+----------------+--------------------------------+--------+
 *   | magic  | rsvd 0 | position       | chain hash at position (32 B)  | CRC32C |
 *   | "VCKP" |        | (long)         |                                | [0,48) |
 *   +--------+--------+----------------+--------------------------------+--------+
 * </pre>
 *
 * An incomplete or invalid last entry is an interrupted mark and is cut off (it was never
 * acknowledged); an invalid entry followed by a valid one is corruption. Positions must increase.
 *
 * <p>A directory written before the file had this name holds the same bytes as {@value
 * #LEGACY_FILE_NAME}. When {@value #FILE_NAME} is missing and that file exists, a writable open
 * renames it to {@value #FILE_NAME} (atomically, then syncs the directory); a read-only open reads
 * it where it is.
 */
final class ChainMarks implements AutoCloseable {
  static final String FILE_NAME = "marks.dat";

  /** The name of the same file in directories written by earlier versions. */
  static final String LEGACY_FILE_NAME = "checkpoints.dat";

  static final int MAGIC = 0x504B4356;
  static final int ENTRY = 52;
  static final int MAX_ENTRIES = 1 << 24;

  private final FileIo io;
  private final Path dir;
  private final Path path;
  private final List<ChainMark> entries = new ArrayList<>();
  private final CRC32C crc = new CRC32C();
  private FileHandle handle;
  private long tornBytes;

  private ChainMarks(FileIo io, Path dir, Path path) {
    this.io = io;
    this.dir = dir;
    this.path = path;
  }

  /**
   * Loads the chain marks; cuts an interrupted last entry unless {@code readOnly}. A {@value
   * #LEGACY_FILE_NAME} without a {@value #FILE_NAME} is renamed unless {@code readOnly}, and read
   * in place if it is.
   */
  static ChainMarks open(FileIo io, Path dir, boolean readOnly) {
    Path path = dir.resolve(FILE_NAME);
    Path legacy = dir.resolve(LEGACY_FILE_NAME);
    if (!io.exists(path) && io.exists(legacy)) {
      if (readOnly) {
        path = legacy;
      } else {
        io.rename(legacy, path);
        io.syncDirectory(dir);
      }
    }
    ChainMarks marks = new ChainMarks(io, dir, path);
    if (io.exists(path)) {
      marks.handle = io.open(path, readOnly ? FileIo.Mode.READ : FileIo.Mode.WRITE);
      marks.load(readOnly);
    }
    return marks;
  }

  /** Makes the chain mark file durable as it is (recovery: it may hold unsynced entries). */
  void sync() {
    if (handle != null) {
      handle.sync();
    }
  }

  private void load(boolean readOnly) {
    long size = handle.size();
    if (size / ENTRY > MAX_ENTRIES) {
      throw new CorruptionException(
          "chain mark file " + path + " is too large: " + size + " bytes");
    }
    byte[] bytes = new byte[(int) size];
    handle.read(ByteBuffer.wrap(bytes), 0);
    int whole = (int) (size / ENTRY);
    for (int i = 0; i < whole; i++) {
      ChainMark c = decode(bytes, i * ENTRY);
      if (c == null && i < whole - 1) {
        throw new CorruptionException(
            "chain mark file " + path + " is damaged at byte offset " + (i * ENTRY));
      }
      if (c == null) {
        whole = i;
        break;
      }
      if (!entries.isEmpty() && !c.position().isAfter(entries.get(entries.size() - 1).position())) {
        throw new CorruptionException(
            "chain mark file "
                + path
                + " has a non-increasing position at byte offset "
                + (i * ENTRY));
      }
      entries.add(c);
    }
    long validEnd = (long) whole * ENTRY;
    tornBytes = size - validEnd;
    if (tornBytes > 0 && !readOnly) {
      handle.truncate(validEnd);
      handle.sync();
    }
  }

  private ChainMark decode(byte[] b, int at) {
    crc.reset();
    crc.update(b, at, ENTRY - 4);
    if (RecordCodec.getInt(b, at) != MAGIC
        || RecordCodec.getInt(b, at + 4) != 0
        || (int) crc.getValue() != RecordCodec.getInt(b, at + ENTRY - 4)
        || RecordCodec.getLong(b, at + 8) < 0) {
      return null;
    }
    return new ChainMark(LogPosition.of(RecordCodec.getLong(b, at + 8)), ChainHash.of(b, at + 16));
  }

  List<ChainMark> list() {
    return List.copyOf(entries);
  }

  ChainMark last() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  long tornBytes() {
    return tornBytes;
  }

  Path path() {
    return path;
  }

  /** Appends and syncs {@code mark} (skipped when it equals the last one). */
  void append(ChainMark mark) {
    ChainMark last = last();
    if (last != null && last.equals(mark)) {
      return;
    }
    if (last != null && !mark.position().isAfter(last.position())) {
      throw new IllegalStateException(
          "chain mark position must increase: " + mark.position() + " after " + last);
    }
    if (entries.size() >= MAX_ENTRIES) {
      throw new io.veritydb.types.UnavailableException(
          "chain mark file " + path + " is full (" + MAX_ENTRIES + " entries)");
    }
    boolean created = false;
    if (handle == null) {
      handle = io.open(path, FileIo.Mode.CREATE);
      created = true;
    }
    byte[] b = new byte[ENTRY];
    RecordCodec.putInt(b, 0, MAGIC);
    RecordCodec.putLong(b, 8, mark.position().value());
    mark.chainHash().copyTo(b, 16);
    crc.reset();
    crc.update(b, 0, ENTRY - 4);
    RecordCodec.putInt(b, ENTRY - 4, (int) crc.getValue());
    handle.write(ByteBuffer.wrap(b), (long) entries.size() * ENTRY);
    handle.sync();
    if (created) {
      io.syncDirectory(dir);
    }
    entries.add(mark);
  }

  @Override
  public void close() {
    if (handle != null) {
      handle.close();
    }
  }
}
