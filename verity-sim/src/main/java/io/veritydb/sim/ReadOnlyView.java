package io.veritydb.sim;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileIo;
import java.nio.file.Path;

/**
 * The simulated disk as the checks see it: files open read-only, and housekeeping that a reader may
 * do (deleting an uncommitted temporary file, syncing a directory) does nothing, so that checking
 * never changes what the engine will find or consumes an injected fault.
 */
final class ReadOnlyView extends ForwardingFileIo {
  ReadOnlyView(FileIo disk) {
    super(disk);
  }

  @Override
  public FileHandle open(Path path, Mode mode) {
    return delegate().open(path, Mode.READ);
  }

  @Override
  public void createDirectories(Path dir) {
    // a reader creates nothing
  }

  @Override
  public void delete(Path path) {
    // a reader deletes nothing (a key store drops an uncommitted temporary file on open)
  }

  @Override
  public void rename(Path source, Path target) {
    throw new IllegalStateException("a read-only check tried to rename " + source);
  }

  @Override
  public FileHandle createOwnerOnly(Path path) {
    throw new IllegalStateException("a read-only check tried to create " + path);
  }

  @Override
  public io.veritydb.io.HeldLock lock(Path file, io.veritydb.io.HeldLock.Mode mode) {
    throw new IllegalStateException("a read-only check tried to lock " + file);
  }

  @Override
  public void syncDirectory(Path dir) {
    // nothing changed
  }
}
