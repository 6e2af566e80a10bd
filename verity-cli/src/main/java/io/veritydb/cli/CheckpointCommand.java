package io.veritydb.cli;

import io.veritydb.api.Verity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity checkpoint DIR}: the newest signed checkpoint. */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = "Print DIR's newest signed checkpoint (C2SP tlog-checkpoint signed note).")
final class CheckpointCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Data directory.")
  Path dir;

  @Option(
      names = "--new",
      description = "Sign a new checkpoint of the log as it is now instead of printing the newest.")
  boolean fresh;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Cli.requireDatabase(dir);
    try (Verity db = Verity.open(dir)) {
      String note = fresh ? db.checkpoint() : db.latestCheckpoint();
      if (note == null) {
        note = db.checkpoint();
      }
      spec.commandLine().getOut().print(note);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
