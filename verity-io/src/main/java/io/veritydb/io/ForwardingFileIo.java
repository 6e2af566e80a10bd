package io.veritydb.io;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link FileIo} that passes every operation to another. Wrappers that change a few operations
 * (fault injection, crash points, read-only views in tests and the simulator) extend it and
 * override only those.
 */
public abstract class ForwardingFileIo implements FileIo {
  private final FileIo delegate;

  protected ForwardingFileIo(FileIo delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The file I/O operations are passed to. */
  protected final FileIo delegate() {
    return delegate;
  }

  @Override
  public FileHandle open(Path path, Mode mode) {
    return delegate.open(path, mode);
  }

  @Override
  public boolean exists(Path path) {
    return delegate.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) {
    return delegate.isDirectory(path);
  }

  @Override
  public List<Path> list(Path dir) {
    return delegate.list(dir);
  }

  @Override
  public void createDirectories(Path dir) {
    delegate.createDirectories(dir);
  }

  @Override
  public void delete(Path path) {
    delegate.delete(path);
  }

  @Override
  public void rename(Path source, Path target) {
    delegate.rename(source, target);
  }

  @Override
  public void syncDirectory(Path dir) {
    delegate.syncDirectory(dir);
  }

  @Override
  public FileHandle createOwnerOnly(Path path) {
    return delegate.createOwnerOnly(path);
  }

  @Override
  public Optional<Set<PosixFilePermission>> permissions(Path path) {
    return delegate.permissions(path);
  }

  @Override
  public HeldLock lock(Path file, HeldLock.Mode mode) {
    return delegate.lock(file, mode);
  }
}
