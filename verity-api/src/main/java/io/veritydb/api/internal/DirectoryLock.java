package io.veritydb.api.internal;

import io.veritydb.types.UnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A lock on a data directory's {@value #FILE_NAME} file, so that two processes (or two {@code
 * Verity} instances in one process) never write the same log, and nothing verifies a directory that
 * is being written. An open holds it exclusively ({@link #acquire}), an offline verification shared
 * ({@link #acquireForReading}): each refuses the other. Held until {@link #close()}; released by
 * the OS if the process dies.
 *
 * <p>The lock files this JVM holds are also kept in a set, checked before any channel is opened:
 * the OS lock belongs to the process, and closing any channel on the file (as a refused second
 * attempt would) releases it for the whole process, leaving the directory open to other processes.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String FILE_NAME = "LOCK";

  /** Lock files held by this JVM, with what holds them ("open", "being verified"). */
  private static final ConcurrentMap<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** The exclusive lock of an open database; creates the lock file when missing. */
  public static DirectoryLock acquire(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    Path key = key(dir);
    String holder = HELD.putIfAbsent(key, "open");
    if (holder != null) {
      throw new UnavailableException(
          "the database at " + dir + " is already " + holder + " in this process");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new UnavailableException(
            "the database at " + dir + " is already open (or being verified) in another process");
      }
      return new DirectoryLock(key, channel, lock);
    } catch (IOException | OverlappingFileLockException | UnavailableException e) {
      HELD.remove(key);
      closeQuietly(channel);
      if (e instanceof UnavailableException u) {
        throw u;
      }
      String what = channel == null ? "cannot create lock file " : "cannot lock ";
      throw new UnavailableException(what + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A shared lock for reading a closed database (offline verification): refused with "the database
   * at DIR is open in another process; close it or verify a copy" (or "in this process") while the
   * database is open, and an open is refused while it is held. Takes it on the existing lock file
   * through a read-only channel, so a read-only directory can be verified; when there is no lock
   * file, creates it if the directory is writable, and otherwise holds nothing (no process can then
   * create it to open the database for writing either).
   */
  public static DirectoryLock acquireForReading(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    Path key = key(dir);
    String holder = HELD.putIfAbsent(key, "being verified");
    if (holder != null) {
      throw new UnavailableException(
          "the database at "
              + dir
              + " is "
              + holder
              + " in this process; "
              + (holder.equals("open") ? "close it" : "wait for it")
              + " or verify a copy");
    }
    FileChannel channel = null;
    try {
      if (!Files.exists(file) && Files.isWritable(dir)) {
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
      }
      if (!Files.exists(file)) {
        return new DirectoryLock(key, null, null);
      }
      channel = FileChannel.open(file, StandardOpenOption.READ);
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        throw new UnavailableException(
            "the database at " + dir + " is open in another process; close it or verify a copy");
      }
      return new DirectoryLock(key, channel, lock);
    } catch (IOException | OverlappingFileLockException | UnavailableException e) {
      HELD.remove(key);
      closeQuietly(channel);
      if (e instanceof UnavailableException u) {
        throw u;
      }
      throw new UnavailableException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** The lock file of {@code dir} as this JVM knows it: the real path when it can be found. */
  private static Path key(Path dir) {
    try {
      return dir.toRealPath().resolve(FILE_NAME);
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize().resolve(FILE_NAME);
    }
  }

  @Override
  public void close() {
    try {
      if (lock != null) {
        try {
          lock.release();
        } finally {
          channel.close();
        }
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot release the directory lock: " + e.getMessage(), e);
    } finally {
      HELD.remove(key);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException suppressed) {
      // The lock attempt has already failed; the original error is what the caller needs.
    }
  }
}
