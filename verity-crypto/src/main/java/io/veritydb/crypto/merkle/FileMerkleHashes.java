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
 * level) until {@link #sync()}; a crash loses at most the unsynced tail, which {@link
 * MerkleTree#open} and the caller (who re-appends from the log) repair.
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

  /** Opens (creating when missing) the level files in {@code dir}, cutting torn tails. */
  public static FileMerkleHashes open(FileIo io, Path dir) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(dir, "dir");
    io.createDirectories(dir);
    FileMerkleHashes hashes = new FileMerkleHashes(io, dir);
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      Path path = fileName(dir, level);
      if (io.exists(path)) {
        hashes.levels[level] = LevelFile.open(io, path, level);
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
