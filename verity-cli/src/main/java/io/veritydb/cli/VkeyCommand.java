package io.veritydb.cli;

import io.veritydb.api.Verity;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code verity vkey DIR}: the verifier key of the database's signed checkpoints. */
@Command(
    name = "vkey",
    mixinStandardHelpOptions = true,
    description =
        "Print the verifier key of DIR's signed checkpoints (C2SP signed-note form:"
            + " name+keyhash+base64(0x01 || Ed25519 public key)).")
final class VkeyCommand extends DatabaseCommand {
  @Override
  void print(Verity db, PrintWriter out) {
    out.println(db.verifierKey());
  }
}
