package io.veritydb.cli;

import io.veritydb.api.Verity;
import io.veritydb.types.LogPosition;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity prove DIR --position P | --consistency-from N}. */
@Command(
    name = "prove",
    mixinStandardHelpOptions = true,
    description = {
      "--position P: print a C2SP tlog-proof that the record at log position P is in the newest"
          + " signed checkpoint (index = P - 1; the extra line holds the record's stored bytes,"
          + " whose RFC 6962 leaf hash the proof covers).",
      "--consistency-from N: print the RFC 6962 consistency proof from tree size N to the newest"
          + " checkpoint, one base64 SHA-256 hash per line."
    })
final class ProveCommand extends DatabaseCommand {
  @ArgGroup(multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--position", description = "Log position of the record.")
    Long position;

    @Option(names = "--consistency-from", description = "Tree size of an earlier checkpoint.")
    Long from;
  }

  @Override
  void print(Verity db, PrintWriter out) {
    out.print(
        what.position != null
            ? db.proveInclusion(LogPosition.of(what.position))
            : db.proveConsistency(what.from));
  }
}
