package io.veritydb.crypto.merkle;

import io.veritydb.io.FileIo;
import io.veritydb.types.Checks;
import io.veritydb.types.UnavailableException;
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
 *
 * <p>An I/O failure (a full disk, an I/O error) is an {@link UnavailableException} naming the level
 * file. After one, every later append, truncate and sync fails with an {@link UnavailableException}
 * that repeats it (a {@link MerkleTree} append writes several levels, and one that failed half way
 * leaves the levels out of step); nodes already stored stay readable, and {@link #close()} closes
 * the files without writing the buffers. Reopening derives the missing nodes from the log again.
 */
public final class FileMerkleHashes implements MerkleHashes {
  private final FileIo io;
  private final Path dir;
  private final LevelFile[] levels = new LevelFile[MerkleHash.MAX_LEVELS];
  private boolean createdSinceSync;
  private UnavailableException failure;

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
    checkWritable();
    try {
      if (levels[level] == null) {
        levels[level] = LevelFile.create(io, fileName(dir, level), level);
        createdSinceSync = true;
      }
      levels[level].append(hash);
    } catch (UnavailableException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public void truncate(long leafCount) {
    Checks.checkArgument(leafCount >= 0, "leafCount", leafCount);
    checkWritable();
    try {
      for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
        if (levels[level] != null) {
          levels[level].truncate(leafCount >>> level);
        }
      }
    } catch (UnavailableException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public void sync() {
    checkWritable();
    try {
      for (LevelFile level : levels) {
        if (level != null) {
          level.sync();
        }
      }
      if (createdSinceSync) {
        syncDirectory();
        createdSinceSync = false;
      }
    } catch (UnavailableException e) {
      failure = e;
      throw e;
    }
  }

  private void syncDirectory() {
    try {
      io.syncDirectory(dir);
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnavailableException(
          "Merkle directory " + dir + ": cannot sync the directory: " + e.getMessage(), e);
    }
  }

  /**
   * Writes buffered appends and closes the files (without fsync: call {@link #sync()} first); after
   * a failure, closes them without writing.
   */
  @Override
  public void close() {
    RuntimeException first = null;
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      if (levels[level] != null) {
        try {
          if (failure == null) {
            levels[level].flush();
          }
        } catch (RuntimeException e) {
          first = keep(first, e);
        }
        try {
          levels[level].close();
        } catch (RuntimeException e) {
          first = keep(first, e);
        }
        levels[level] = null;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException keep(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private void checkWritable() {
    if (failure != null) {
      throw new UnavailableException(
          "the Merkle tree in "
              + dir
              + " refuses writes after a failure; reopen the database to derive it from the log"
              + " again ("
              + failure.getMessage()
              + ")",
          failure);
    }
  }

  private static void checkLevel(int level) {
    Checks.checkArgument(level >= 0 && level < MerkleHash.MAX_LEVELS, "level", level);
  }
}
