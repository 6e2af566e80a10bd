package io.veritydb.storage;

import io.veritydb.io.FileHandle;
import io.veritydb.io.ForwardingFileHandle;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link SimFileIo} that crashes the simulated machine at the n-th changing operation (write,
 * truncate, fsync, directory sync, rename, delete), before the operation, and then fails it with
 * {@link UnavailableException} as a dying disk would.
 */
final class CrashAtFileIo extends ForwardingFileIo {
  private final SimFileIo disk;
  private long countdown = -1;
  private SimFileIo.CrashMode mode = SimFileIo.CrashMode.LOSE_UNSYNCED;
  private long changes;
  private boolean crashed;

  CrashAtFileIo(SimFileIo disk) {
    super(disk);
    this.disk = disk;
  }

  /** Crash before the {@code n}-th (1-based) changing operation from now; 0 never. */
  void arm(long n, SimFileIo.CrashMode mode) {
    this.countdown = n == 0 ? -1 : n;
    this.mode = mode;
    this.crashed = false;
  }

  boolean crashed() {
    return crashed;
  }

  long changes() {
    return changes;
  }

  private void change(String what, Runnable op) {
    changes++;
    if (countdown > 0 && --countdown == 0) {
      countdown = -1;
      crashed = true;
      disk.crash(mode);
      throw new UnavailableException("simulated crash before " + what);
    }
    op.run();
  }

  @Override
  public FileHandle open(Path path, Mode mode) {
    FileHandle handle = disk.open(path, mode);
    return new ForwardingFileHandle(handle) {
      @Override
      public void write(ByteBuffer source, long offset) {
        change("write " + path + "@" + offset, () -> handle.write(source, offset));
      }

      @Override
      public void truncate(long size) {
        change("truncate " + path, () -> handle.truncate(size));
      }

      @Override
      public void sync() {
        change("sync " + path, handle::sync);
      }
    };
  }

  @Override
  public void delete(Path path) {
    change("delete " + path, () -> disk.delete(path));
  }

  @Override
  public void rename(Path source, Path target) {
    change("rename " + source, () -> disk.rename(source, target));
  }

  @Override
  public void syncDirectory(Path dir) {
    change("sync directory " + dir, () -> disk.syncDirectory(dir));
  }
}
