package io.veritydb.io;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The seam through which every file operation of the log and the store goes. Production uses {@link
 * NioFileIo}; tests and the simulator pass an implementation that tears writes, loses unsynced data
 * on a simulated crash, flips bits, fails reads or fsyncs, or runs out of space.
 *
 * <p>Failures surface as {@link io.veritydb.types.UnavailableException} (I/O errors, full disk,
 * failed fsync), never as checked exceptions.
 */
public interface FileIo {
  /** How to open a file. */
  enum Mode {
    /** Read only; the file must exist. */
    READ,
    /** Read and write; the file must exist. */
    WRITE,
    /** Read and write; the file is created if missing (the caller syncs the directory). */
    CREATE
  }

  /** Opens {@code path}. */
  FileHandle open(Path path, Mode mode);

  boolean exists(Path path);

  /** Whether {@code path} is a directory (false when it is missing or a file). */
  boolean isDirectory(Path path);

  /** The regular files directly inside {@code dir}, sorted by name. */
  List<Path> list(Path dir);

  /** Creates {@code dir} and its parents when missing. */
  void createDirectories(Path dir);

  /** Deletes {@code path} if it exists. */
  void delete(Path path);

  /** Atomically replaces {@code target} with {@code source} (rename within a directory). */
  void rename(Path source, Path target);

  /** Makes creations, deletions and renames inside {@code dir} durable. */
  void syncDirectory(Path dir);

  /**
   * Creates {@code path}, which must not exist, readable and writable by its owner only from its
   * first moment (never created wider, then narrowed), and opens it for writing. For secrets: key
   * files. The caller syncs the directory.
   */
  FileHandle createOwnerOnly(Path path);

  /**
   * The POSIX permissions of {@code path}, or empty where the file system has none (then the
   * platform's access lists protect files). Fails when the file does not exist.
   */
  Optional<Set<PosixFilePermission>> permissions(Path path);

  /**
   * Locks {@code file} until the returned lock is closed; the operating system releases it when the
   * process dies. {@link HeldLock.Mode#EXCLUSIVE} (the file is created when missing) keeps every
   * other holder out; {@link HeldLock.Mode#SHARED} keeps exclusive holders out, and when the file
   * is missing and cannot be created (a read-only directory) holds nothing, since no writer can
   * create it either. Within one process a file is locked once at a time, whatever the mode. Fails
   * with {@link io.veritydb.types.UnavailableException} naming the file when someone else holds it.
   */
  HeldLock lock(Path file, HeldLock.Mode mode);
}
