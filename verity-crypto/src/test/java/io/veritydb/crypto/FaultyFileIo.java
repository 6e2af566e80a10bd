package io.veritydb.crypto;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileHandle;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link FileIo} wrapper for tests that fails the k-th mutating operation (open for writing,
 * write, truncate, sync, rename, delete, directory sync) once armed.
 */
final class FaultyFileIo extends ForwardingFileIo {
  enum Fault {
    /** Throw instead of performing the operation. */
    THROW_BEFORE,
    /** Perform the operation, then throw (the caller does not know it happened). */
    THROW_AFTER,
    /** A write stores only its first half, then throws; other operations as THROW_BEFORE. */
    SHORT_WRITE
  }

  private final FileIo delegate;
  private int failAt = -1;
  private Fault fault = Fault.THROW_BEFORE;
  private int operations;

  FaultyFileIo(FileIo delegate) {
    super(delegate);
    this.delegate = delegate;
  }

  /** Fails operation number {@code index} (1-based) counted from now. */
  void arm(int index, Fault kind) {
    failAt = index;
    fault = kind;
    operations = 0;
  }

  /** Counts operations from now without failing. */
  void count() {
    failAt = -1;
    operations = 0;
  }

  int operations() {
    return operations;
  }

  /** True when the operation about to run must fail before doing anything. */
  private boolean failsNow(String what) {
    operations++;
    if (operations != failAt) {
      return false;
    }
    if (fault == Fault.THROW_AFTER) {
      return false;
    }
    throw new UnavailableException("injected failure before " + what);
  }

  private void afterOperation(String what) {
    if (operations == failAt && fault == Fault.THROW_AFTER) {
      failAt = -1;
      throw new UnavailableException("injected failure after " + what);
    }
  }

  @Override
  public FileHandle open(Path path, Mode mode) {
    if (mode == Mode.READ) {
      return delegate.open(path, mode);
    }
    failsNow("open " + path);
    FileHandle handle = new Handle(delegate.open(path, mode), path);
    afterOperation("open " + path);
    return handle;
  }

  @Override
  public void delete(Path path) {
    failsNow("delete " + path);
    delegate.delete(path);
    afterOperation("delete " + path);
  }

  @Override
  public void rename(Path source, Path target) {
    failsNow("rename " + source);
    delegate.rename(source, target);
    afterOperation("rename " + source);
  }

  @Override
  public void syncDirectory(Path dir) {
    failsNow("sync directory " + dir);
    delegate.syncDirectory(dir);
    afterOperation("sync directory " + dir);
  }

  private final class Handle extends ForwardingFileHandle {
    private final FileHandle handle;
    private final Path path;

    Handle(FileHandle handle, Path path) {
      super(handle);
      this.handle = handle;
      this.path = path;
    }

    @Override
    public void write(ByteBuffer source, long offset) {
      operations++;
      if (operations == failAt && fault == Fault.SHORT_WRITE) {
        ByteBuffer half = source.duplicate();
        half.limit(source.position() + source.remaining() / 2);
        handle.write(half, offset);
        throw new UnavailableException("injected short write to " + path);
      }
      if (operations == failAt && fault == Fault.THROW_BEFORE) {
        throw new UnavailableException("injected failure before write to " + path);
      }
      handle.write(source, offset);
      afterOperation("write " + path);
    }

    @Override
    public void truncate(long size) {
      failsNow("truncate " + path);
      handle.truncate(size);
      afterOperation("truncate " + path);
    }

    @Override
    public void sync() {
      failsNow("sync " + path);
      handle.sync();
      afterOperation("sync " + path);
    }
  }
}
