package io.veritydb.cli;

import io.veritydb.api.Verity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code verity vkey DIR}: the verifier key of the database's signed checkpoints. */
@Command(
    name = "vkey",
    mixinStandardHelpOptions = true,
    description =
        "Print the verifier key of DIR's signed checkpoints (C2SP signed-note form:"
            + " name+keyhash+base64(0x01 || Ed25519 public key)).")
final class VkeyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Data directory.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Cli.requireDatabase(dir);
    try (Verity db = Verity.open(dir)) {
      spec.commandLine().getOut().println(db.verifierKey());
    }
    return 0;
  }
}
