package io.veritydb.cli;

import io.veritydb.types.BadRequestException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by the sub-commands. */
final class Cli {
  private Cli() {}

  /** Fails clearly when {@code dir} is not a VerityDB data directory (instead of creating one). */
  static void requireDatabase(Path dir) {
    if (!Files.isDirectory(dir.resolve("log"))) {
      throw new BadRequestException(dir + " is not a VerityDB data directory (it has no log/)");
    }
  }
}
