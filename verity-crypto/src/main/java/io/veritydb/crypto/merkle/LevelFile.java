package io.veritydb.crypto.merkle;

import static io.veritydb.crypto.merkle.MerkleHashFileLayout.HEADER_CRC_OFFSET;
import static io.veritydb.crypto.merkle.MerkleHashFileLayout.HEADER_LENGTH;
import static io.veritydb.crypto.merkle.MerkleHashFileLayout.RECORD_CRC_OFFSET;
import static io.veritydb.crypto.merkle.MerkleHashFileLayout.RECORD_LENGTH;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * One level of {@link FileMerkleHashes}: an append-only file of checksummed 32-byte hashes (see
 * {@link MerkleHashFileLayout}) with a bounded write buffer of {@link #BUFFER_RECORDS} records.
 *
 * <p>Levels from {@link #CACHED_FROM_LEVEL} up are also held in memory (loaded and checksummed on
 * open): together they take 1/1024 of the leaf count in nodes, 64 bytes per 1024 leaves (64 MB per
 * billion leaves), and spare a proof more than half of its reads.
 *
 * <p>Every I/O failure (a full disk, an I/O error) is an {@link UnavailableException} naming the
 * file and what was being done. A failed write leaves this object as it was before the call: an
 * append that finds the buffer full writes it out before adding to it, so a buffer that could not
 * be written is still whole and is written by the next flush.
 */
final class LevelFile implements AutoCloseable {
  static final int BUFFER_RECORDS = 2048;
  static final int CACHED_FROM_LEVEL = 10;
  private static final int LOAD_CHUNK_RECORDS = 4096;
  static final int SCAN_CHUNK_RECORDS = 16384;

  private final Path path;
  private final int level;
  private final FileHandle handle;
  private final ByteBuffer pending =
      ByteBuffer.allocate(BUFFER_RECORDS * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
  private long written;
  private int pendingCount;
  private byte[] cache;

  private LevelFile(Path path, int level, FileHandle handle, long written) {
    this.path = path;
    this.level = level;
    this.handle = handle;
    this.written = written;
    this.cache = level >= CACHED_FROM_LEVEL ? new byte[64 * MerkleHash.LENGTH] : null;
  }

  /** Creates an empty level file (header only); the caller syncs the directory. */
  static LevelFile create(FileIo io, Path path, int level) {
    FileHandle handle = call(path, "create the file", () -> io.open(path, FileIo.Mode.CREATE));
    try {
      run(path, "write the header", () -> writeHeader(handle, level));
    } catch (RuntimeException e) {
      closeAfterFailure(handle, e);
      throw e;
    }
    return new LevelFile(path, level, handle, 0);
  }

  private static void writeHeader(FileHandle handle, int level) {
    handle.truncate(0);
    handle.write(MerkleHashFileLayout.header(level), 0);
  }

  /**
   * Opens an existing level file and cuts a torn unsynced region. Records {@code [0,
   * syncedRecords)} are known durable and are not read here (a bad one among them stays a {@link
   * CorruptionException} on read). From {@code syncedRecords} to the end, the records are checked
   * in bulk ({@link #SCAN_CHUNK_RECORDS} per read) and the file is cut at the first one whose
   * checksum fails, and at a partial record: after a power loss any unsynced sector may be lost
   * (zeros) while later ones survive, so nothing after such a hole is trusted. A file shorter than
   * its header (a torn creation) is rewritten empty.
   */
  static LevelFile open(FileIo io, Path path, int level, long syncedRecords) {
    Checks.checkArgument(syncedRecords >= 0, "syncedRecords", syncedRecords);
    FileHandle handle = call(path, "open the file", () -> io.open(path, FileIo.Mode.WRITE));
    try {
      return open(handle, path, level, syncedRecords);
    } catch (RuntimeException e) {
      closeAfterFailure(handle, e);
      throw e;
    }
  }

  private static LevelFile open(FileHandle handle, Path path, int level, long syncedRecords) {
    long size = call(path, "read the size", handle::size);
    if (size < HEADER_LENGTH) {
      run(path, "rewrite a torn header", () -> writeHeader(handle, level));
      run(path, "sync", handle::sync);
      return new LevelFile(path, level, handle, 0);
    }
    checkHeader(handle, path, level);
    long records = (size - HEADER_LENGTH) / RECORD_LENGTH;
    long good = firstBadRecord(handle, path, level, Math.min(syncedRecords, records), records);
    LevelFile file = new LevelFile(path, level, handle, good);
    long end = MerkleHashFileLayout.recordOffset(good);
    if (end != size) {
      run(
          path,
          "cut a torn tail at offset " + end,
          () -> {
            handle.truncate(end);
            handle.sync();
          });
    }
    if (file.cache != null) {
      file.loadCache();
    }
    return file;
  }

  /** The index of the first record in {@code [from, records)} whose checksum fails, or records. */
  private static long firstBadRecord(
      FileHandle handle, Path path, int level, long from, long records) {
    if (from >= records) {
      return records;
    }
    int chunkRecords = (int) Math.min(SCAN_CHUNK_RECORDS, records - from);
    ByteBuffer chunk =
        ByteBuffer.allocate(chunkRecords * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    byte[] prefix = new byte[9];
    for (long first = from; first < records; first += chunkRecords) {
      int n = (int) Math.min(chunkRecords, records - first);
      chunk.clear().limit(n * RECORD_LENGTH);
      readFully(handle, chunk, MerkleHashFileLayout.recordOffset(first), path);
      for (int r = 0; r < n; r++) {
        int at = r * RECORD_LENGTH;
        if (chunk.getInt(at + RECORD_CRC_OFFSET)
            != MerkleHashFileLayout.recordCrc(crc, prefix, level, first + r, chunk.array(), at)) {
          return first + r;
        }
      }
    }
    return records;
  }

  /**
   * Checks the header of a level file: magic, checksum, version, level, record and hash sizes; a
   * {@link CorruptionException} naming the file and what is wrong otherwise.
   */
  static void checkHeader(FileHandle handle, Path path, int level) {
    ByteBuffer h = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    readFully(handle, h, 0, path);
    byte[] magic = Arrays.copyOf(h.array(), MerkleHashFileLayout.MAGIC.length);
    if (!Arrays.equals(magic, MerkleHashFileLayout.MAGIC)) {
      throw new CorruptionException(path + ": not a Merkle hash file (bad magic at offset 0)");
    }
    if (h.getInt(HEADER_CRC_OFFSET) != MerkleHashFileLayout.headerCrc(h)) {
      throw new CorruptionException(path + ": header checksum mismatch at offset 0");
    }
    int version = h.getInt(MerkleHashFileLayout.VERSION_OFFSET);
    if (version != MerkleHashFileLayout.VERSION) {
      throw new CorruptionException(path + ": unsupported Merkle hash file version " + version);
    }
    int fileLevel = h.getInt(MerkleHashFileLayout.LEVEL_OFFSET);
    int recordSize = h.getInt(MerkleHashFileLayout.RECORD_SIZE_OFFSET);
    int hashSize = h.getInt(MerkleHashFileLayout.HASH_SIZE_OFFSET);
    if (fileLevel != level || recordSize != RECORD_LENGTH || hashSize != MerkleHash.LENGTH) {
      throw new CorruptionException(
          path
              + ": header says level "
              + fileLevel
              + ", record size "
              + recordSize
              + ", hash size "
              + hashSize
              + "; expected level "
              + level);
    }
  }

  private void loadCache() {
    cache = new byte[Math.toIntExact(Math.max(64, written) * MerkleHash.LENGTH)];
    ByteBuffer chunk =
        ByteBuffer.allocate(LOAD_CHUNK_RECORDS * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    for (long first = 0; first < written; first += LOAD_CHUNK_RECORDS) {
      int n = (int) Math.min(LOAD_CHUNK_RECORDS, written - first);
      chunk.clear().limit(n * RECORD_LENGTH);
      readFully(handle, chunk, MerkleHashFileLayout.recordOffset(first), path);
      for (int r = 0; r < n; r++) {
        long index = first + r;
        int at = r * RECORD_LENGTH;
        if (chunk.getInt(at + RECORD_CRC_OFFSET)
            != MerkleHashFileLayout.recordCrc(level, index, chunk.array(), at)) {
          throw corrupt(index);
        }
        System.arraycopy(
            chunk.array(),
            at,
            cache,
            Math.toIntExact(index * MerkleHash.LENGTH),
            MerkleHash.LENGTH);
      }
    }
  }

  private CorruptionException corrupt(long index) {
    return new CorruptionException(
        path
            + ": checksum mismatch of Merkle node (level "
            + level
            + ", index "
            + index
            + ") at offset "
            + MerkleHashFileLayout.recordOffset(index));
  }

  long count() {
    return written + pendingCount;
  }

  byte[] read(long index) {
    Checks.checkArgument(index >= 0 && index < count(), "index", index, "level", level);
    if (cache != null) {
      int from = Math.toIntExact(index * MerkleHash.LENGTH);
      return Arrays.copyOfRange(cache, from, from + MerkleHash.LENGTH);
    }
    byte[] record = new byte[RECORD_LENGTH];
    if (index >= written) {
      pending.get((int) (index - written) * RECORD_LENGTH, record);
    } else {
      readFully(handle, ByteBuffer.wrap(record), MerkleHashFileLayout.recordOffset(index), path);
    }
    int stored = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt(RECORD_CRC_OFFSET);
    if (stored != MerkleHashFileLayout.recordCrc(level, index, record, 0)) {
      throw corrupt(index);
    }
    return Arrays.copyOf(record, MerkleHash.LENGTH);
  }

  void append(byte[] hash) {
    Checks.checkArgument(hash.length == MerkleHash.LENGTH, "hashLength", hash.length);
    if (pendingCount == BUFFER_RECORDS) {
      flush(); // first: if it fails, nothing has changed
    }
    Checks.checkState(pendingCount < BUFFER_RECORDS, "pendingCount", pendingCount);
    if (cache != null) {
      int to = Math.toIntExact(count() * MerkleHash.LENGTH);
      if (to + MerkleHash.LENGTH > cache.length) {
        cache = Arrays.copyOf(cache, Math.toIntExact(Math.max(2L * cache.length, to + 64L)));
      }
      System.arraycopy(hash, 0, cache, to, MerkleHash.LENGTH);
    }
    int at = pendingCount * RECORD_LENGTH;
    pending.put(at, hash);
    pending.putInt(at + RECORD_CRC_OFFSET, MerkleHashFileLayout.recordCrc(level, count(), hash, 0));
    pendingCount++;
  }

  /** Writes the buffered records (not synced); on failure they stay buffered. */
  void flush() {
    if (pendingCount > 0) {
      ByteBuffer out = pending.duplicate().position(0).limit(pendingCount * RECORD_LENGTH);
      long at = MerkleHashFileLayout.recordOffset(written);
      run(
          path,
          "write nodes " + written + ".." + (written + pendingCount - 1) + " at offset " + at,
          () -> handle.write(out, at));
      written += pendingCount;
      pendingCount = 0;
    }
  }

  void truncate(long count) {
    Checks.checkArgument(count >= 0, "count", count);
    if (count >= count()) {
      return;
    }
    if (count >= written) {
      pendingCount = (int) (count - written);
    } else {
      long size = MerkleHashFileLayout.recordOffset(count);
      run(path, "cut the file at offset " + size, () -> handle.truncate(size));
      pendingCount = 0;
      written = count;
    }
  }

  void sync() {
    flush();
    run(path, "sync", handle::sync);
  }

  @Override
  public void close() {
    run(path, "close", handle::close);
  }

  /**
   * Runs one operation on {@code path}, turning a failure of the disk (or of whatever {@link
   * FileIo} stands for it) into an {@link UnavailableException} that names the file and {@code
   * what} was being done. Corruption and a closed handle keep their own meaning.
   */
  private static <T> T call(Path path, String what, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (CorruptionException | ClosedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnavailableException(
          "Merkle level file " + path + ": cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private static void run(Path path, String what, Runnable operation) {
    call(
        path,
        what,
        () -> {
          operation.run();
          return null;
        });
  }

  private static void closeAfterFailure(FileHandle handle, RuntimeException failure) {
    try {
      handle.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void readFully(FileHandle handle, ByteBuffer target, long offset, Path path) {
    int expected = target.remaining();
    int read = call(path, "read at offset " + offset, () -> handle.read(target, offset));
    if (read != expected) {
      throw new CorruptionException(
          path + ": short read of " + read + " of " + expected + " bytes at offset " + offset);
    }
  }
}
