package io.veritydb.io;

import java.nio.ByteBuffer;

/** A {@link FileHandle} that passes every operation to another; see {@link ForwardingFileIo}. */
public abstract class ForwardingFileHandle implements FileHandle {
  private final FileHandle delegate;

  protected ForwardingFileHandle(FileHandle delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The handle operations are passed to. */
  protected final FileHandle delegate() {
    return delegate;
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public int read(ByteBuffer target, long offset) {
    return delegate.read(target, offset);
  }

  @Override
  public void write(ByteBuffer source, long offset) {
    delegate.write(source, offset);
  }

  @Override
  public void truncate(long size) {
    delegate.truncate(size);
  }

  @Override
  public void sync() {
    delegate.sync();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
