package io.veritydb.cli;

import io.veritydb.api.Verity;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity checkpoint DIR}: the newest signed checkpoint. */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = "Print DIR's newest signed checkpoint (C2SP tlog-checkpoint signed note).")
final class CheckpointCommand extends DatabaseCommand {
  @Option(
      names = "--new",
      description = "Sign a new checkpoint of the log as it is now instead of printing the newest.")
  boolean fresh;

  @Override
  void print(Verity db, PrintWriter out) {
    String note = fresh ? db.checkpoint() : db.latestCheckpoint();
    if (note == null) {
      note = db.checkpoint();
    }
    out.print(note);
  }
}
