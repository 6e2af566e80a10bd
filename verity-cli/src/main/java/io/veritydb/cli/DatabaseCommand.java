package io.veritydb.cli;

import io.veritydb.api.Verity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/**
 * A sub-command that prints something read from an existing data directory: it checks that DIR
 * holds a database, opens it, runs {@link #print}, flushes the output and exits 0.
 */
abstract class DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Data directory.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() {
    Cli.requireDatabase(dir);
    PrintWriter out = spec.commandLine().getOut();
    try (Verity db = Verity.open(dir)) {
      print(db, out);
      out.flush();
    }
    return 0;
  }

  /** Writes the command's answer about the open database {@code db} to {@code out}. */
  abstract void print(Verity db, PrintWriter out);
}
