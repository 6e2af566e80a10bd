package io.veritydb.api.internal;

import io.veritydb.io.FileIo;
import io.veritydb.io.FileLockedException;
import io.veritydb.io.HeldLock;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;

/**
 * A lock on a data directory's {@value #FILE_NAME} file, through {@link FileIo#lock} (so on any
 * disk), so that two processes (or two {@code Verity} instances in one process) never write the
 * same log, and nothing verifies a directory that is being written. An open holds it exclusively
 * ({@link #acquire}), an offline verification shared ({@link #acquireForReading}): each refuses the
 * other. Held until {@link #close()}; released by the operating system if the process dies.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String FILE_NAME = "LOCK";

  private final HeldLock lock;

  private DirectoryLock(HeldLock lock) {
    this.lock = lock;
  }

  /** {@link #acquire(FileIo, Path)} on the real disk. */
  public static DirectoryLock acquire(Path dir) {
    return acquire(NioFileIo.INSTANCE, dir);
  }

  /** The exclusive lock of an open database; refused while it is open or verified elsewhere. */
  public static DirectoryLock acquire(FileIo io, Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      return new DirectoryLock(io.lock(file, HeldLock.Mode.EXCLUSIVE));
    } catch (FileLockedException e) {
      String where =
          e.heldAs() == null
              ? "already open (or being verified) in another process"
              : e.heldAs() == HeldLock.Mode.EXCLUSIVE
                  ? "already open in this process"
                  : "being verified in this process";
      throw new UnavailableException(
          "the database at " + dir + " is " + where + " (lock file " + file + ")", e);
    }
  }

  /** {@link #acquireForReading(FileIo, Path)} on the real disk. */
  public static DirectoryLock acquireForReading(Path dir) {
    return acquireForReading(NioFileIo.INSTANCE, dir);
  }

  /**
   * A shared lock for reading a closed database (offline verification): refused while the database
   * is open, and an open is refused while it is held. On a read-only directory without a lock file
   * it holds nothing: no process can create the file to open the database either.
   */
  public static DirectoryLock acquireForReading(FileIo io, Path dir) {
    try {
      return new DirectoryLock(io.lock(dir.resolve(FILE_NAME), HeldLock.Mode.SHARED));
    } catch (FileLockedException e) {
      String why =
          e.heldAs() == null
              ? "is open in another process; close it or verify a copy"
              : e.heldAs() == HeldLock.Mode.EXCLUSIVE
                  ? "is open in this process; close it or verify a copy"
                  : "is being verified in this process; wait for it or verify a copy";
      throw new UnavailableException("the database at " + dir + " " + why, e);
    }
  }

  @Override
  public void close() {
    lock.close();
  }
}
