package io.veritydb.simdisk;

import io.veritydb.io.FileHandle;
import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A handle on a {@link SimFile}; every operation takes the {@link SimFileIo} lock. */
final class SimFileHandle implements FileHandle {
  private final SimFileIo io;
  private final Path path;
  private final SimFile file;
  private final boolean writable;
  private final long generation;
  private boolean closed;

  SimFileHandle(SimFileIo io, Path path, SimFile file, boolean writable, long generation) {
    this.io = io;
    this.path = path;
    this.file = file;
    this.writable = writable;
    this.generation = generation;
  }

  Path path() {
    return path;
  }

  long generation() {
    return generation;
  }

  @Override
  public long size() {
    synchronized (io) {
      checkOpen();
      return file.size();
    }
  }

  @Override
  public int read(ByteBuffer target, long offset) {
    Checks.checkArgument(offset >= 0, "offset", offset);
    synchronized (io) {
      checkOpen();
      io.beforeRead(path, offset);
      int length = target.remaining();
      if (target.hasArray()) {
        int n = file.read(target.array(), target.arrayOffset() + target.position(), length, offset);
        target.position(target.position() + n);
        return n;
      }
      byte[] copy = new byte[(int) Math.max(0, Math.min(length, file.size() - offset))];
      int n = file.read(copy, 0, copy.length, offset);
      target.put(copy, 0, n);
      return n;
    }
  }

  @Override
  public void write(ByteBuffer source, long offset) {
    Checks.checkArgument(offset >= 0, "offset", offset);
    synchronized (io) {
      checkOpen();
      if (!writable) {
        throw new UnavailableException("write failed on " + path + ": opened read-only");
      }
      byte[] data = new byte[source.remaining()];
      source.duplicate().get(data);
      io.write(path, file, offset, data);
      source.position(source.limit());
    }
  }

  @Override
  public void truncate(long size) {
    Checks.checkArgument(size >= 0, "size", size);
    synchronized (io) {
      checkOpen();
      if (!writable) {
        throw new UnavailableException("truncate failed on " + path + ": opened read-only");
      }
      file.truncate(size);
    }
  }

  @Override
  public void sync() {
    synchronized (io) {
      checkOpen();
      io.sync(path, file);
    }
  }

  @Override
  public void close() {
    synchronized (io) {
      closed = true;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("file handle of " + path + " is closed");
    }
    io.checkUsable(this);
  }
}
