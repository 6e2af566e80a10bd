package io.veritydb.crypto.merkle;

import io.veritydb.io.FileIo;
import io.veritydb.types.Checks;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@link MerkleHashes} in a directory through {@link FileIo}: one append-only file per level
 * ({@code merkle-00.hashes} for the leaf hashes, {@code merkle-01.hashes} for pairs, ...), laid out
 * as {@link MerkleHashFileLayout} says. Storage is about 72 bytes per leaf (36 at level 0, 36 over
 * all upper levels together). Appends are buffered ({@link LevelFile#BUFFER_RECORDS} records per
 * level) until {@link #sync()}; a crash may damage only what was not synced (anywhere in it: a disk
 * with a volatile write cache keeps any subset of the unsynced sectors), which {@link #open(FileIo,
 * Path, long)} cuts off and {@link MerkleTree#open} and the caller (who re-appends from the log)
 * repair.
 */
public final class FileMerkleHashes implements MerkleHashes {
  private final FileIo io;
  private final Path dir;
  private final LevelFile[] levels = new LevelFile[MerkleHash.MAX_LEVELS];
  private boolean createdSinceSync;

  private FileMerkleHashes(FileIo io, Path dir) {
    this.io = io;
    this.dir = dir;
  }

  /**
   * Opens (creating when missing) the level files in {@code dir} when nothing is known to be
   * synced: {@link #open(FileIo, Path, long) open(io, dir, 0)}, which checks every record.
   */
  public static FileMerkleHashes open(FileIo io, Path dir) {
    return open(io, dir, 0);
  }

  /**
   * Opens (creating when missing) the level files in {@code dir}. {@code syncedLeaves} is a leaf
   * count whose nodes are known durable (the size of a tree that was {@link #sync() synced}, such
   * as the newest signed checkpoint's; 0 when unknown): level L's first {@code syncedLeaves >> L}
   * records are trusted without being read (a bad one is a {@link
   * io.veritydb.types.CorruptionException} on read). Every record after them is checked in bulk and
   * each level is cut at its first bad record: a power loss may lose any unsynced sector while
   * later ones survive. {@link MerkleTree#open} then recomputes the upper levels, and the caller
   * re-appends the missing leaves from its log.
   */
  public static FileMerkleHashes open(FileIo io, Path dir, long syncedLeaves) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(dir, "dir");
    Checks.checkArgument(syncedLeaves >= 0, "syncedLeaves", syncedLeaves);
    io.createDirectories(dir);
    FileMerkleHashes hashes = new FileMerkleHashes(io, dir);
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      Path path = fileName(dir, level);
      if (io.exists(path)) {
        hashes.levels[level] = LevelFile.open(io, path, level, syncedLeaves >>> level);
      }
    }
    return hashes;
  }

  /** The file holding {@code level}. */
  public static Path fileName(Path dir, int level) {
    return dir.resolve(String.format(Locale.ROOT, "merkle-%02d.hashes", level));
  }

  @Override
  public long count(int level) {
    checkLevel(level);
    return levels[level] == null ? 0 : levels[level].count();
  }

  @Override
  public byte[] node(int level, long index) {
    checkLevel(level);
    Checks.checkArgument(levels[level] != null, "level", level);
    return levels[level].read(index);
  }

  @Override
  public void append(int level, byte[] hash) {
    checkLevel(level);
    MerkleHash.checkHash(hash, "hash");
    if (levels[level] == null) {
      levels[level] = LevelFile.create(io, fileName(dir, level), level);
      createdSinceSync = true;
    }
    levels[level].append(hash);
  }

  @Override
  public void truncate(long leafCount) {
    Checks.checkArgument(leafCount >= 0, "leafCount", leafCount);
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      if (levels[level] != null) {
        levels[level].truncate(leafCount >>> level);
      }
    }
  }

  @Override
  public void sync() {
    for (LevelFile level : levels) {
      if (level != null) {
        level.sync();
      }
    }
    if (createdSinceSync) {
      io.syncDirectory(dir);
      createdSinceSync = false;
    }
  }

  /** Writes buffered appends and closes the files (without fsync: call {@link #sync()} first). */
  @Override
  public void close() {
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      if (levels[level] != null) {
        try {
          levels[level].flush();
        } finally {
          levels[level].close();
          levels[level] = null;
        }
      }
    }
  }

  private static void checkLevel(int level) {
    Checks.checkArgument(level >= 0 && level < MerkleHash.MAX_LEVELS, "level", level);
  }
}
