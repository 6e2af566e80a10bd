package io.veritydb.api.internal;

import io.veritydb.io.FileIo;
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
   * Refuses, before an open creates anything, a path that exists and is not a directory ("FILE is a
   * file, not a data directory"), asking {@code io}, whichever disk it is. A missing path is fine:
   * the open creates it. A directory that cannot be read or written fails at the first file the
   * open touches, with an error naming that file.
   *
   * @throws BadRequestException naming the path and what is wrong with it
   */
  public static void checkOpenable(FileIo io, Path dir) {
    Checks.checkNotNull(dir, "dir");
    if (io.exists(dir) && !io.isDirectory(dir)) {
      throw new BadRequestException(dir + " is a file, not a data directory");
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
}
