package io.veritydb.bench.compare;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.bench.harness.Engines;
import io.veritydb.bench.harness.Figure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The comparative benchmark: {@code [--engine verity|h2|sqlite|hsqldb|all] [--size small|large]
 * [--runs 3] [--warmups 1] [--workloads W1,W2,...] [--records N] [--rows N] [--dir scratch]}.
 * Prints one line per figure, {@code engine=<e> workload=<w> value=<v> unit=<u>}: the median of
 * {@code runs} rounds. Each round runs every engine in turn, each in its own child JVM (same java,
 * same class path) that does {@code --warmups} warm-up passes (with at least {@link
 * BenchConfig#WARMUP_ROWS} rows) and one measured pass; alternating the engines round by round
 * spreads a change in the machine's load over all of them. Lines starting with {@code #} are notes
 * (machine, settings). {@code --child <engine>} runs one engine in this JVM (warm-up, then the
 * median of {@code --runs} passes).
 */
public final class BenchMain {
  private BenchMain() {}

  static final String USAGE =
      "usage: bench [--engine verity|h2|sqlite|hsqldb|all] [--size small|large|tiny] [--runs N]"
          + " [--warmups N] [--workloads W1,W2,...] [--records N (W7)] [--rows N] [--dir DIR]";

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the comparison as the command line says; returns the process exit code. */
  public static int run(String... args) {
    return run(System.out, System.err, args);
  }

  static int run(PrintStream out, PrintStream err, String... args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      // A --dir given by the user is never deleted, only the engine subdirectories made in it.
      Path work = o.dir != null ? o.dir : Files.createTempDirectory("verity-bench");
      if (o.child != null) {
        for (Figure f : EngineRun.run(o.child, o.config, work.resolve(o.child))) {
          out.println(f.toLine());
        }
        out.flush();
        if (o.dir == null) {
          Dirs.delete(work);
        }
        return 0;
      }
      header(out, o);
      int failed = 0;
      Map<String, List<Figure>> byFigure = new LinkedHashMap<>();
      for (int round = 0; round < o.config.runs(); round++) {
        for (String engine : o.engines) {
          List<Figure> figures = new ArrayList<>();
          failed += runChild(err, engine, args, work, figures);
          for (Figure f : figures) {
            byFigure
                .computeIfAbsent(f.engine() + " " + f.workload(), k -> new ArrayList<>())
                .add(f);
          }
        }
      }
      for (List<Figure> runs : byFigure.values()) {
        double[] values = runs.stream().mapToDouble(Figure::value).toArray();
        Figure first = runs.get(0);
        out.println(
            new Figure(first.engine(), first.workload(), EngineRun.median(values), first.unit())
                .toLine());
      }
      out.flush();
      for (String engine : o.engines) {
        Dirs.delete(work.resolve(engine));
      }
      if (o.dir == null) {
        Dirs.delete(work);
      }
      return failed == 0 ? 0 : 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void header(PrintStream out, Options o) {
    Runtime rt = Runtime.getRuntime();
    out.println(
        "# date="
            + Instant.now()
            + " cores="
            + rt.availableProcessors()
            + " java="
            + System.getProperty("java.version")
            + " os="
            + System.getProperty("os.name")
            + " size="
            + o.config.size()
            + " rows="
            + o.config.rows()
            + " runs="
            + o.config.runs()
            + " warmups="
            + o.config.warmups()
            + " (median of the rounds; each round runs every engine in turn in a fresh JVM)");
    out.println("# verity: every acknowledged write fsynced (group commit), whole history kept");
    out.println("# sqlite: journal_mode=WAL synchronous=FULL, id INTEGER PRIMARY KEY");
    out.println("# hsqldb: file db, CACHED tables, SET FILES WRITE DELAY FALSE (sync per commit)");
    out.println("# h2: default file mode; does NOT fsync each commit (background write ~1 s)");
  }

  /**
   * One round of one engine: a child JVM doing a warm-up pass and one measured pass. Rounds
   * alternate the engines (verity, h2, sqlite, hsqldb, verity, ...) so that a change in the
   * machine's load during the comparison spreads over all of them.
   */
  private static int runChild(
      PrintStream err, String engine, String[] args, Path work, List<Figure> figures) {
    List<String> childArgs = new ArrayList<>(List.of("--child", engine));
    childArgs.addAll(Options.withoutEngine(args));
    childArgs.add("--runs");
    childArgs.add("1");
    childArgs.add("--dir");
    childArgs.add(work.resolve(engine).toString());
    ProcessBuilder pb = new ProcessBuilder(Jvm.command(List.of(), BenchMain.class, childArgs));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process p = pb.start();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Figure f = Figure.parse(line);
          if (f != null) {
            figures.add(f);
          } else {
            err.println("[" + engine + "] " + line);
          }
        }
      }
      int code = p.waitFor();
      if (code != 0) {
        err.println("engine " + engine + ": child JVM exited with " + code);
        return 1;
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the " + engine + " child JVM", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + engine + " ran", e);
    }
  }

  /** The parsed command line. */
  static final class Options {
    List<String> engines = Engines.ALL;
    String child;
    BenchConfig config = BenchConfig.small();
    Path dir;

    static Options parse(String... args) {
      Options o = new Options();
      String size = "small";
      Integer runs = null;
      Integer records = null;
      Integer rows = null;
      Integer warmups = null;
      Set<String> workloads = null;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "--engine" -> o.engines = v.equals("all") ? Engines.ALL : engine(v);
          case "--child" -> o.child = engine(v).get(0);
          case "--size" -> size = v;
          case "--runs" -> runs = Integer.parseInt(v);
          case "--records" -> records = Integer.parseInt(v);
          case "--rows" -> rows = Integer.parseInt(v);
          case "--warmups" -> warmups = Integer.parseInt(v);
          case "--workloads" -> workloads = new LinkedHashSet<>(Arrays.asList(v.split(",", -1)));
          case "--dir" -> o.dir = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      o.config =
          switch (size) {
            case "small" -> BenchConfig.small();
            case "large" -> BenchConfig.large();
            case "tiny" -> BenchConfig.tiny();
            default ->
                throw new IllegalArgumentException(
                    "unknown size " + size + "; expected small, large or tiny");
          };
      if (runs != null) {
        o.config = o.config.withRuns(runs);
      }
      if (workloads != null) {
        o.config = o.config.withWorkloads(workloads);
      }
      if (records != null) {
        o.config = o.config.withReopenRecords(records);
      }
      if (rows != null) {
        o.config = o.config.withRows(rows);
      }
      if (warmups != null) {
        o.config = o.config.withWarmups(warmups);
      }
      return o;
    }

    private static List<String> engine(String v) {
      if (!Engines.ALL.contains(v)) {
        throw new IllegalArgumentException(
            "unknown engine " + v + "; expected one of " + Engines.ALL + " or all");
      }
      return List.of(v);
    }

    /** The arguments minus --engine, --dir and --runs, to pass on to a child. */
    static List<String> withoutEngine(String[] args) {
      List<String> rest = new ArrayList<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!List.of("--engine", "--dir", "--runs").contains(args[i])) {
          rest.add(args[i]);
          rest.add(args[i + 1]);
        }
      }
      return rest;
    }
  }
}
