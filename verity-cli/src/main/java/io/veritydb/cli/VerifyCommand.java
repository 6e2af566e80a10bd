package io.veritydb.cli;

import io.veritydb.api.VerificationReport;
import io.veritydb.api.Verity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity verify DIR}: offline verification; exit 0 only when everything holds. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a closed data directory without changing it, trusting none of the files derived"
          + " from the log: every CRC and the whole hash chain, the log's chain marks, the"
          + " Merkle level files against the tree recomputed from the records, every signed"
          + " checkpoint, the key files, and every page of the store and its entries against a"
          + " replay of the log. Each problem names the file and where in it.",
      "A database that is open (in this or another process) is refused: close it, or verify a"
          + " copy. Exit code 0 only when all of it holds."
    })
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Data directory.")
  Path dir;

  @Option(
      names = "--vkey",
      description =
          "The verifier key you published (default: derived from DIR/keys/signing.key, which an"
              + " attacker with write access could have replaced).")
  String vkey;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String[] lastPhase = {null};
    VerificationReport report =
        Verity.verify(
            dir,
            vkey,
            (phase, count) -> {
              if (lastPhase[0] != null && !lastPhase[0].equals(phase)) {
                err.println();
              }
              lastPhase[0] = phase;
              err.printf("\r%s: %,d", phase, count);
              err.flush();
            });
    if (lastPhase[0] != null) {
      err.println();
    }
    err.flush();
    for (String check : report.checks()) {
      out.println("ok      " + check);
    }
    for (String problem : report.problems()) {
      out.println("FAILED  " + problem);
    }
    out.printf(
        "%s: %,d records, %,d bytes, %d signed checkpoints%n",
        report.ok() ? "VERIFIED" : "NOT VERIFIED",
        report.records(),
        report.bytes(),
        report.checkpoints());
    out.flush();
    return report.ok() ? 0 : 1;
  }
}
