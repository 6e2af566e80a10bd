package io.veritydb.api.internal;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.store.PagedStore;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Opening the projection store file, and rebuilding it when it is damaged. The store is derived
 * from the log, so a damaged store is never fatal: the file is kept aside as {@code
 * projection.db.corrupt-N} (for whoever investigates the disk) and a new, empty store takes its
 * place, which the replay that follows rebuilds from the whole log.
 *
 * <p>Damage is found in two ways. Open finds damaged superblocks itself. A page that fails its
 * checks later (a query, an apply, the replay) stops the store; the runtime then leaves a marker
 * file, {@code projection.db.damaged}, holding what was found, and the next open rebuilds.
 */
final class StoreFile {
  private StoreFile() {}

  /** The store file of the database in {@code dir}. */
  static Path in(Path dir) {
    return dir.resolve("store").resolve("projection.db");
  }

  static final String DAMAGED_SUFFIX = ".damaged";
  static final String ASIDE_SUFFIX = ".corrupt-";

  /** Opens the store at {@code file}, rebuilding it as described above when it is damaged. */
  static PagedStore open(FileIo io, Path file, StoreOptions options) {
    Path marker = marker(file);
    if (io.exists(marker)) {
      setAside(io, file);
      io.delete(marker); // after the rename: a crash in between still rebuilds
      io.syncDirectory(file.getParent());
      return PagedStore.open(io, file, options);
    }
    try {
      return PagedStore.open(io, file, options);
    } catch (CorruptionException damaged) {
      setAside(io, file);
      try {
        return PagedStore.open(io, file, options);
      } catch (RuntimeException e) {
        e.addSuppressed(damaged);
        throw e;
      }
    }
  }

  /** Leaves the marker that makes the next {@link #open} rebuild the store; {@code why} in it. */
  static void markDamaged(FileIo io, Path file, String why) {
    byte[] text = (why + "\n").getBytes(StandardCharsets.UTF_8);
    Path marker = marker(file);
    try (FileHandle handle = io.open(marker, FileIo.Mode.CREATE)) {
      handle.truncate(0);
      handle.write(ByteBuffer.wrap(text), 0);
      handle.sync();
    }
    io.syncDirectory(file.getParent());
  }

  static Path marker(Path file) {
    return file.resolveSibling(file.getFileName() + DAMAGED_SUFFIX);
  }

  private static void setAside(FileIo io, Path file) {
    if (!io.exists(file)) {
      return;
    }
    int n = 1;
    while (io.exists(file.resolveSibling(file.getFileName() + ASIDE_SUFFIX + n))) {
      n++;
    }
    io.rename(file, file.resolveSibling(file.getFileName() + ASIDE_SUFFIX + n));
    io.syncDirectory(file.getParent());
  }
}
