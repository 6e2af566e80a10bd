package io.veritydb.cli;

import io.veritydb.sim.Vopr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code verity vopr [...]}: the deterministic simulator. */
@Command(
    name = "vopr",
    description = {
      "Run the deterministic simulator: one line per seed; a failing seed prints the command that"
          + " reproduces it and a shrunk trace.",
      "Options: --seed N | --seeds A..B | --time-budget 10m (see docs/TESTING.md)."
    })
final class VoprCommand implements Callable<Integer> {
  @CommandLine.Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return Vopr.run(args.toArray(new String[0]));
  }
}
