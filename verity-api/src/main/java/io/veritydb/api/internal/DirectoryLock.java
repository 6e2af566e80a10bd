package io.veritydb.api.internal;

import io.veritydb.types.UnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, so that two processes (or two {@code Verity} instances in
 * one process) never write the same log. Held until {@link #close()}; released by the OS if the
 * process dies.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String FILE_NAME = "LOCK";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static DirectoryLock acquire(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UnavailableException("cannot create lock file " + file + ": " + e.getMessage(), e);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        closeQuietly(channel);
        throw new UnavailableException(
            "the database at " + dir + " is already open in another process");
      }
      return new DirectoryLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new UnavailableException(
          "the database at " + dir + " is already open in this process", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UnavailableException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UnavailableException("cannot release the directory lock: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException suppressed) {
      // The lock attempt has already failed; the original error is what the caller needs.
    }
  }
}
