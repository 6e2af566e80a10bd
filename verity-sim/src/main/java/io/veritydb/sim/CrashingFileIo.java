package io.veritydb.sim;

import io.veritydb.io.FileHandle;
import io.veritydb.io.ForwardingFileHandle;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.simdisk.SimFileIo;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Passes every operation to a {@link SimFileIo}, and when armed, crashes the simulated machine at
 * the n-th changing operation (write, truncate, fsync, directory sync, rename, delete): the disk
 * drops what the crash mode drops and {@link SimulatedCrash} unwinds the engine from wherever it
 * was (inside group commit, a store flush, recovery, close). The crash happens before or after the
 * operation itself, as armed.
 */
final class CrashingFileIo extends ForwardingFileIo {
  private final SimFileIo disk;
  private long countdown = -1;
  private boolean afterOp;
  private SimFileIo.CrashMode mode = SimFileIo.CrashMode.LOSE_UNSYNCED;
  private String crashedAt;
  private long changes;
  private final java.util.ArrayDeque<Read> reads = new java.util.ArrayDeque<>();

  /** A stretch of a file the engine read: where a latent sector error hurts. */
  record Read(Path path, long offset, int length) {}

  private static final int READS_KEPT = 64;

  CrashingFileIo(SimFileIo disk) {
    super(disk);
    this.disk = disk;
  }

  /** Crash at the {@code n}-th (1-based) changing operation from now. */
  void arm(long n, boolean afterOp, SimFileIo.CrashMode mode) {
    this.countdown = n;
    this.afterOp = afterOp;
    this.mode = mode;
    this.crashedAt = null;
  }

  void disarm() {
    countdown = -1;
  }

  /** Where the last armed crash happened, or null when it has not. */
  String crashedAt() {
    return crashedAt;
  }

  /** The last stretches read by the engine (at most {@value #READS_KEPT}), oldest first. */
  java.util.List<Read> recentReads() {
    return java.util.List.copyOf(reads);
  }

  /** Changing operations seen so far. */
  long changes() {
    return changes;
  }

  private void change(String what, Runnable op) {
    changes++;
    if (countdown > 0 && --countdown == 0) {
      countdown = -1;
      if (afterOp) {
        op.run();
      }
      crashedAt = (afterOp ? "after " : "before ") + what;
      disk.crash(mode);
      throw new SimulatedCrash(crashedAt);
    }
    op.run();
  }

  @Override
  public FileHandle open(Path path, Mode mode) {
    return new Handle(path, disk.open(path, mode));
  }

  @Override
  public FileHandle createOwnerOnly(Path path) {
    return new Handle(path, disk.createOwnerOnly(path));
  }

  @Override
  public void delete(Path path) {
    change("delete " + path, () -> disk.delete(path));
  }

  @Override
  public void rename(Path source, Path target) {
    change("rename " + source + " to " + target, () -> disk.rename(source, target));
  }

  @Override
  public void syncDirectory(Path dir) {
    change("sync of directory " + dir, () -> disk.syncDirectory(dir));
  }

  private final class Handle extends ForwardingFileHandle {
    private final Path path;
    private final FileHandle handle;

    Handle(Path path, FileHandle handle) {
      super(handle);
      this.path = path;
      this.handle = handle;
    }

    @Override
    public int read(ByteBuffer target, long offset) {
      int n = handle.read(target, offset);
      if (n > 0) {
        if (reads.size() == READS_KEPT) {
          reads.pollFirst();
        }
        reads.addLast(new Read(path, offset, n));
      }
      return n;
    }

    @Override
    public void write(ByteBuffer source, long offset) {
      change(
          "write of " + source.remaining() + " bytes at " + offset + " of " + path,
          () -> handle.write(source, offset));
    }

    @Override
    public void truncate(long size) {
      change("truncate of " + path + " to " + size, () -> handle.truncate(size));
    }

    @Override
    public void sync() {
      change("fsync of " + path, handle::sync);
    }
  }
}
