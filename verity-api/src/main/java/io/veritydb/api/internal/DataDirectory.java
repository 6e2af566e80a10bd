package io.veritydb.api.internal;

import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a path given as a data directory is, checked before anything is opened or created in it, so
 * that a wrong path fails with a message that says what is wrong with it.
 */
public final class DataDirectory {
  private DataDirectory() {}

  /**
   * Refuses, before an open creates anything, a path that cannot hold a database: a regular file
   * ("FILE is a file, not a data directory"), anything else that exists and is not a directory, or
   * a directory that cannot be read or written. A missing path is fine: the open creates it. Only
   * the real disk is checked; a simulated one ({@code io} other than {@link NioFileIo}) has none of
   * these cases.
   *
   * @throws BadRequestException naming the path and what is wrong with it
   */
  public static void checkOpenable(FileIo io, Path dir) {
    Checks.checkNotNull(dir, "dir");
    if (io != NioFileIo.INSTANCE || Files.notExists(dir)) {
      return;
    }
    String problem = notADirectory(dir);
    if (problem == null && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
      problem = "cannot read " + dir + ": permission denied";
    }
    if (problem == null && !Files.isWritable(dir)) {
      problem = "cannot write to " + dir + ": permission denied";
    }
    if (problem != null) {
      throw new BadRequestException(problem);
    }
  }

  /**
   * Why {@code dir} cannot be read as a data directory (to verify it), or null when it is a
   * readable directory with a {@code log/} directory: "DIR does not exist", "DIR is not a
   * directory", "cannot read DIR: permission denied", "DIR is not a VerityDB data directory: it has
   * no log/ directory".
   */
  public static String problemForReading(Path dir) {
    Checks.checkNotNull(dir, "dir");
    if (Files.notExists(dir)) {
      return dir + " does not exist";
    }
    if (!Files.exists(dir)) {
      return "cannot read " + dir + ": permission denied"; // a parent cannot be searched
    }
    if (!Files.isDirectory(dir)) {
      return dir + " is not a directory";
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      Checks.checkNotNull(entries, "entries of " + dir);
    } catch (AccessDeniedException e) {
      return "cannot read " + dir + ": permission denied";
    } catch (IOException e) {
      return "cannot read " + dir + ": " + e.getMessage();
    }
    if (!Files.isDirectory(dir.resolve("log"))) {
      return dir + " is not a VerityDB data directory: it has no log/ directory";
    }
    return null;
  }

  private static String notADirectory(Path dir) {
    if (Files.isRegularFile(dir)) {
      return dir + " is a file, not a data directory";
    }
    if (!Files.isDirectory(dir)) {
      return dir + " is not a directory";
    }
    return null;
  }
}
