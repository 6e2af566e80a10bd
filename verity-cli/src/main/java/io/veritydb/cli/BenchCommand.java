package io.veritydb.cli;

import io.veritydb.bench.compare.BenchMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code verity bench [...]}: the comparative benchmark against H2, SQLite and HSQLDB. */
@Command(
    name = "bench",
    description = {
      "Run the comparative benchmark (each engine in its own JVM, median of runs), one line per"
          + " figure: engine=<e> workload=<w> value=<v> unit=<u>.",
      "Options: [--engine verity|h2|sqlite|hsqldb|all] [--size small|large] [--runs N]"
          + " [--workloads W1,W2,...]. Try: ./verity bench --engine all"
    })
final class BenchCommand implements Callable<Integer> {
  @CommandLine.Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return BenchMain.run(args.toArray(new String[0]));
  }
}
