package io.veritydb.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The seed explorer: runs the simulator for one seed, a range of seeds, or as many seeds as fit in
 * a time budget, prints one line per seed and, for a failing seed, the command that reproduces it
 * and a shrunk trace.
 *
 * <pre>
 *   --seed N            run one seed
 *   --seeds A..B        run seeds A to B inclusive
 *   --time-budget 10m   stop starting seeds after this long (s, m or h); without --seeds,
 *                       explores from a seed taken from the clock (printed)
 *   --steps N           program length per seed (default 300)
 *   --keep i,j,k        run only these steps of the program (a shrunk reproduction)
 *   --trace             print the whole trace of every seed
 *   --profile P         default; corruption (many bit flips and restarts); crashes (every
 *                       fault but bit flips, at the highest rate: long runs)
 *   --no-shrink         do not shrink failures
 * </pre>
 *
 * A failure that matches a {@link KnownIssues known engine bug} is printed with its name and
 * counted apart. Exit code: 0 when no seed failed other than by a known issue, 1 when one did, 2
 * for a usage error.
 */
public final class Vopr {
  /** Program length per seed unless --steps says otherwise. */
  public static final int DEFAULT_STEPS = 300;

  private static final int SHRINK_RUNS = 400;
  private static final int SHOWN_TRACE_LINES = 300;

  private Vopr() {}

  public static void main(String... args) {
    System.exit(run(args));
  }

  /** Runs with {@code args} printing to standard output; returns the exit code. */
  public static int run(String... args) {
    return run(System.out, args);
  }

  /** Runs with {@code args} printing to {@code out}; returns the exit code. */
  public static int run(PrintStream out, String... args) {
    long first = 1;
    long last = 1;
    boolean range = false;
    long budgetNanos = -1;
    int steps = DEFAULT_STEPS;
    TreeSet<Integer> keep = null;
    boolean showTrace = false;
    boolean shrink = true;
    SimConfig.Profile profile = SimConfig.Profile.DEFAULT;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--seed" -> {
            first = Long.parseLong(args[++i]);
            last = first;
            range = true;
          }
          case "--seeds" -> {
            String[] ab = args[++i].split("\\.\\.", 2);
            first = Long.parseLong(ab[0]);
            last = Long.parseLong(ab[1]);
            range = true;
          }
          case "--time-budget" -> budgetNanos = parseDuration(args[++i]).toNanos();
          case "--steps" -> steps = Integer.parseInt(args[++i]);
          case "--keep" -> {
            keep = new TreeSet<>();
            for (String s : args[++i].split(",", -1)) {
              keep.add(Integer.parseInt(s.trim()));
            }
          }
          case "--trace" -> showTrace = true;
          case "--no-shrink" -> shrink = false;
          case "--profile" ->
              profile = SimConfig.Profile.valueOf(args[++i].toUpperCase(Locale.ROOT));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (!range && budgetNanos < 0) {
        throw new IllegalArgumentException("give --seed N, --seeds A..B or --time-budget D");
      }
      if (first > last || steps < 3) {
        throw new IllegalArgumentException("empty seed range or fewer than 3 steps");
      }
    } catch (RuntimeException e) {
      out.println("vopr: " + e.getMessage());
      out.println(
          "usage: vopr (--seed N | --seeds A..B | --time-budget 10m) [--steps N]"
              + " [--keep i,j,k] [--profile default|corruption|crashes] [--trace] [--no-shrink]");
      return 2;
    }
    if (!range) {
      first = System.nanoTime() & 0xFFFF_FFFFL;
      last = Long.MAX_VALUE;
      out.println("exploring from seed " + first);
    }
    long start = System.nanoTime();
    int failures = 0;
    int known = 0;
    long seeds = 0;
    long simMicros = 0;
    for (long seed = first; seed <= last; seed++) {
      if (budgetNanos >= 0 && System.nanoTime() - start > budgetNanos) {
        break;
      }
      SimConfig config = program(seed, steps, keep, profile);
      SimResult result = new Simulator(config, Plant.NONE).run();
      seeds++;
      simMicros += result.simulatedMicros();
      String issue = KnownIssues.match(result);
      out.println(result.summary() + (issue == null ? "" : " known-issue=" + issue));
      if (showTrace) {
        result.trace().forEach(line -> out.println("  | " + line));
      }
      if (issue != null) {
        known++;
      } else if (result.failed()) {
        failures++;
        report(out, config, result, steps, keep, shrink, profile);
      }
      if (seed == Long.MAX_VALUE) {
        break;
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    out.println(
        String.format(
            Locale.ROOT,
            "%d seeds, %d failed, %d known issues, %.1fs wall, %.1fs simulated (%.1fx real time), %.1f seeds/min",
            seeds,
            failures,
            known,
            wall,
            simMicros / 1e6,
            simMicros / 1e6 / Math.max(wall, 1e-9),
            seeds * 60 / Math.max(wall, 1e-9)));
    return failures == 0 ? 0 : 1;
  }

  static SimConfig program(long seed, int steps, java.util.Set<Integer> keep) {
    return program(seed, steps, keep, SimConfig.Profile.DEFAULT);
  }

  static SimConfig program(
      long seed, int steps, java.util.Set<Integer> keep, SimConfig.Profile profile) {
    SimConfig config = SimConfig.generate(seed, steps, profile);
    if (keep == null) {
      return config;
    }
    List<Op> ops = new ArrayList<>();
    for (Op op : config.program) {
      if (keep.contains(op.index())) {
        ops.add(op);
      }
    }
    return config.withProgram(ops);
  }

  private static void report(
      PrintStream out,
      SimConfig config,
      SimResult result,
      int steps,
      java.util.Set<Integer> keep,
      boolean shrink,
      SimConfig.Profile profile) {
    String base =
        "./verity vopr --seed "
            + config.seed
            + (steps == DEFAULT_STEPS ? "" : " --steps " + steps)
            + (profile == SimConfig.Profile.DEFAULT
                ? ""
                : " --profile " + profile.name().toLowerCase(Locale.ROOT));
    out.println("  FAILED: " + result.message());
    out.println("  reproduce: " + base + (keep == null ? "" : " --keep " + join(config.program)));
    if (!shrink) {
      return;
    }
    Shrinker.Shrunk s = new Shrinker(Plant.NONE, SHRINK_RUNS).shrink(config, result);
    out.println(
        "  shrunk to "
            + s.config().program.size()
            + " of "
            + config.program.size()
            + " steps in "
            + s.runs()
            + " runs: "
            + s.result().message().lines().findFirst().orElse(""));
    out.println("  reproduce shrunk: " + base + " --keep " + join(s.config().program) + " --trace");
    List<String> lines = s.result().trace();
    int from = Math.max(0, lines.size() - SHOWN_TRACE_LINES);
    if (from > 0) {
      out.println("  | ... " + from + " lines before");
    }
    for (String line : lines.subList(from, lines.size())) {
      out.println("  | " + line);
    }
  }

  private static String join(List<Op> ops) {
    List<String> out = new ArrayList<>();
    for (Op op : ops) {
      out.add(Integer.toString(op.index()));
    }
    return String.join(",", out);
  }

  static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("time budget like 90s, 10m or 2h, was " + s);
    };
  }
}
