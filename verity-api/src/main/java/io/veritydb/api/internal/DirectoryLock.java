package io.veritydb.api.internal;

import io.veritydb.io.ExclusiveLock;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;

/**
 * An exclusive lock on a data directory ({@code DIR/LOCK}, through {@link FileIo#lock}), so that
 * two processes (or two {@code Verity} instances in one process) never write the same log. Held
 * until {@link #close()}; released by the operating system if the process dies.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String FILE_NAME = "LOCK";

  private final ExclusiveLock lock;

  private DirectoryLock(ExclusiveLock lock) {
    this.lock = lock;
  }

  /** Locks {@code dir} on the real disk. */
  public static DirectoryLock acquire(Path dir) {
    return acquire(NioFileIo.INSTANCE, dir);
  }

  /** Locks {@code dir}, or fails saying the database there is open. */
  public static DirectoryLock acquire(FileIo io, Path dir) {
    try {
      return new DirectoryLock(io.lock(dir.resolve(FILE_NAME)));
    } catch (UnavailableException e) {
      throw new UnavailableException(
          "the database at " + dir + " is already open (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    lock.close();
  }
}
