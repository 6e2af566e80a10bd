package io.veritydb.cli;

import io.veritydb.api.internal.DataDirectory;
import io.veritydb.types.BadRequestException;
import java.nio.file.Path;

/** Checks shared by the sub-commands. */
final class Cli {
  private Cli() {}

  /**
   * Fails clearly when {@code dir} is not a VerityDB data directory (instead of creating one),
   * saying why: it does not exist, is not a directory, cannot be read, or has no {@code log/}.
   */
  static void requireDatabase(Path dir) {
    String problem = DataDirectory.problemForReading(dir);
    if (problem != null) {
      throw new BadRequestException(problem);
    }
  }
}
