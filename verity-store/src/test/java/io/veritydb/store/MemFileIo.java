package io.veritydb.store;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-memory files for tests: writes are volatile until {@code sync}; {@link #crash()} drops every
 * unsynced write (optionally tearing one page write so that only its first bytes persist); bits can
 * be flipped in stored bytes; a page can be made to fail on read.
 */
final class MemFileIo implements FileIo {
  private final Map<Path, MemFile> files = new TreeMap<>();
  private long failReadOffset = -1;
  private long tearOffset = -1;
  private int tearBytes;
  private int syncsBeforeFailure = -1;

  synchronized MemFile file(Path path) {
    return files.get(path);
  }

  /** Drops everything not synced; a pending tear keeps only part of that page's last write. */
  synchronized void crash() {
    for (MemFile f : files.values()) {
      f.crash(tearOffset, tearBytes);
    }
    tearOffset = -1;
  }

  /** At the next crash, the write covering {@code offset} persists only its first bytes. */
  synchronized void tearAtCrash(long offset, int bytes) {
    tearOffset = offset;
    tearBytes = bytes;
  }

  /** After {@code syncs} more successful syncs, every sync fails (-1: never). */
  synchronized void failSyncsAfter(int syncs) {
    syncsBeforeFailure = syncs;
  }

  private synchronized void beforeSync() {
    if (syncsBeforeFailure == 0) {
      throw new UnavailableException("injected sync failure");
    }
    if (syncsBeforeFailure > 0) {
      syncsBeforeFailure--;
    }
  }

  synchronized void failReadsAt(long offset) {
    failReadOffset = offset;
  }

  synchronized void flipBit(Path path, long offset, int bit) {
    MemFile f = files.get(path);
    f.durable[(int) offset] ^= (byte) (1 << bit);
    f.current[(int) offset] ^= (byte) (1 << bit);
  }

  @Override
  public synchronized FileHandle open(Path path, Mode mode) {
    MemFile f = files.get(path);
    if (f == null) {
      if (mode != Mode.CREATE) {
        throw new UnavailableException("file not found: " + path);
      }
      f = new MemFile();
      files.put(path, f);
    }
    return new Handle(f);
  }

  @Override
  public synchronized boolean exists(Path path) {
    return files.containsKey(path);
  }

  @Override
  public synchronized List<Path> list(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path p : files.keySet()) {
      if (dir.equals(p.getParent())) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public void createDirectories(Path dir) {}

  @Override
  public synchronized void delete(Path path) {
    files.remove(path);
  }

  @Override
  public synchronized void rename(Path source, Path target) {
    files.put(target, files.remove(source));
  }

  @Override
  public void syncDirectory(Path dir) {}

  /** One file: the bytes a crash keeps and the bytes reads see now. */
  static final class MemFile {
    byte[] durable = new byte[0];
    byte[] current = new byte[0];
    long durableSize;
    long currentSize;

    /** Offsets of writes since the last sync, for tearing. */
    final List<long[]> unsynced = new ArrayList<>();

    synchronized void crash(long tearOffset, int tearBytes) {
      byte[] kept = Arrays.copyOf(durable, durable.length);
      long size = durableSize;
      for (long[] w : unsynced) {
        if (tearOffset >= w[0] && tearOffset < w[0] + w[1]) {
          int n = (int) Math.min(tearBytes, w[1]);
          kept = ensure(kept, w[0] + n);
          System.arraycopy(current, (int) w[0], kept, (int) w[0], n);
          size = Math.max(size, w[0] + w[1]);
          kept = ensure(kept, size);
        }
      }
      durable = kept;
      durableSize = size;
      current = Arrays.copyOf(durable, durable.length);
      currentSize = durableSize;
      unsynced.clear();
    }

    synchronized long size() {
      return currentSize;
    }

    long durableSize() {
      return durableSize;
    }

    private static byte[] ensure(byte[] a, long size) {
      return a.length >= size ? a : Arrays.copyOf(a, (int) Math.max(size, a.length * 2L));
    }
  }

  private final class Handle implements FileHandle {
    private final MemFile f;

    Handle(MemFile f) {
      this.f = f;
    }

    @Override
    public long size() {
      return f.size();
    }

    @Override
    public int read(ByteBuffer target, long offset) {
      synchronized (MemFileIo.this) {
        if (failReadOffset >= 0
            && failReadOffset >= offset
            && failReadOffset < offset + target.remaining()) {
          throw new UnavailableException("injected read error at offset " + offset);
        }
      }
      synchronized (f) {
        int n = (int) Math.max(0, Math.min(target.remaining(), f.currentSize - offset));
        target.put(f.current, (int) offset, n);
        return n;
      }
    }

    @Override
    public void write(ByteBuffer source, long offset) {
      synchronized (f) {
        int n = source.remaining();
        f.current = MemFile.ensure(f.current, offset + n);
        source.get(f.current, (int) offset, n);
        f.currentSize = Math.max(f.currentSize, offset + n);
        f.unsynced.add(new long[] {offset, n});
      }
    }

    @Override
    public void truncate(long size) {
      synchronized (f) {
        if (size < f.currentSize) {
          Arrays.fill(f.current, (int) size, f.current.length, (byte) 0);
          f.currentSize = size;
        }
        f.unsynced.add(new long[] {size, 0});
      }
    }

    @Override
    public void sync() {
      beforeSync();
      synchronized (f) {
        f.durable = Arrays.copyOf(f.current, f.current.length);
        f.durableSize = f.currentSize;
        f.unsynced.clear();
      }
    }

    @Override
    public void close() {}
  }

  @Override
  public FileHandle createOwnerOnly(Path path) {
    return open(path, Mode.CREATE);
  }

  @Override
  public java.util.Optional<java.util.Set<java.nio.file.attribute.PosixFilePermission>> permissions(
      Path path) {
    return java.util.Optional.empty();
  }

  @Override
  public io.veritydb.io.HeldLock lock(Path file, io.veritydb.io.HeldLock.Mode mode) {
    return new io.veritydb.io.HeldLock() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public boolean isDirectory(Path path) {
    return false;
  }
}
