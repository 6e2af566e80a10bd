package io.veritydb.io;

import io.veritydb.types.UnavailableException;
import java.nio.file.Path;

/** {@link FileIo#lock} was refused: another holder has the file locked. */
public final class FileLockedException extends UnavailableException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final HeldLock.Mode heldAs;

  /**
   * @param heldAs how this process holds the file, or null when another process holds it
   */
  public FileLockedException(Path file, HeldLock.Mode heldAs) {
    super(
        heldAs == null
            ? file + " is locked by another process"
            : file
                + " is locked in this process ("
                + heldAs.name().toLowerCase(java.util.Locale.ROOT)
                + ")");
    this.file = file;
    this.heldAs = heldAs;
  }

  public Path file() {
    return file;
  }

  /** How this process holds the file, or null when another process holds it. */
  public HeldLock.Mode heldAs() {
    return heldAs;
  }
}
