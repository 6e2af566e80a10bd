package io.veritydb.architecture.planted;

import io.veritydb.io.FileIo;
import io.veritydb.storage.Log;
import io.veritydb.store.PagedStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pure code that reaches files. */
public final class PlantedFileAccess {
  private PlantedFileAccess() {}

  /** Reads a file directly. */
  public static final class ReadsFile {
    static byte[] read(Path p) throws IOException {
      return Files.readAllBytes(p);
    }
  }

  /** Uses the FileIo seam. */
  public static final class UsesFileIo {
    static boolean present(FileIo io, Path p) {
      return io.exists(p);
    }
  }

  /** Uses the log. */
  public static final class UsesLog {
    static Object last(Log log) {
      return log.lastPosition();
    }
  }

  /** Uses the file-backed store instead of a store view. */
  public static final class UsesPagedStore {
    static Object view(PagedStore store) {
      return store.snapshot();
    }
  }
}
