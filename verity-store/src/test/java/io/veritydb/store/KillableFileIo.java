package io.veritydb.store;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FileIo} over another (the real disk in tests) that can simulate the death of the
 * process: {@link #kill()} closes every handle it opened, so the store using them is abandoned
 * without a flush while everything it wrote stays in the files.
 */
final class KillableFileIo extends ForwardingFileIo {
  private final List<FileHandle> open = new ArrayList<>();

  KillableFileIo(FileIo delegate) {
    super(delegate);
  }

  synchronized void kill() {
    for (FileHandle handle : open) {
      handle.close();
    }
    open.clear();
  }

  @Override
  public synchronized FileHandle open(Path path, Mode mode) {
    FileHandle handle = delegate().open(path, mode);
    open.add(handle);
    return handle;
  }
}
