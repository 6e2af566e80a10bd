package io.veritydb.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Delta debugging over a failing program: removes chunks of steps (halves, quarters, ... single
 * steps) while the run still fails, re-running deterministically each time. Steps keep their own
 * seeds, so a shorter program means the same thing minus what was removed. Bounded by a number of
 * runs.
 */
final class Shrinker {
  private final Plant plant;
  private final int maxRuns;
  private int runs;
  private String signature;

  Shrinker(Plant plant, int maxRuns) {
    this.plant = plant;
    this.maxRuns = maxRuns;
  }

  /** The smallest failing configuration found, and its result. */
  record Shrunk(SimConfig config, SimResult result, int runs) {}

  /** What kind of failure a message describes: its first line, numbers and paths masked. */
  static String signature(String message) {
    String first = message.lines().findFirst().orElse("");
    return first.replaceAll("[0-9]+", "N").replaceAll("/[^ ]*", "P");
  }

  Shrunk shrink(SimConfig failing, SimResult result) {
    this.signature = signature(result.message());
    List<Op> ops = new ArrayList<>(failing.program);
    if (result.failedAt() >= 0) {
      // nothing after the failing step can matter
      List<Op> prefix = new ArrayList<>();
      for (Op op : ops) {
        prefix.add(op);
        if (op.index() == result.failedAt()) {
          break;
        }
      }
      SimResult r = attempt(failing, prefix);
      if (r != null) {
        ops = prefix;
        result = r;
      }
    }
    int chunk = Math.max(1, ops.size() / 2);
    while (chunk >= 1 && runs < maxRuns) {
      boolean removed = false;
      for (int start = 0; start < ops.size() && runs < maxRuns; ) {
        List<Op> candidate = new ArrayList<>(ops.subList(0, start));
        candidate.addAll(ops.subList(Math.min(ops.size(), start + chunk), ops.size()));
        SimResult r = candidate.isEmpty() ? null : attempt(failing, candidate);
        if (r != null) {
          ops = candidate;
          result = r;
          removed = true;
        } else {
          start += chunk;
        }
      }
      if (!removed) {
        chunk /= 2;
      }
    }
    return new Shrunk(failing.withProgram(ops), result, runs);
  }

  private SimResult attempt(SimConfig base, List<Op> ops) {
    runs++;
    SimResult r = new Simulator(base.withProgram(ops), plant).run();
    return r.failed() && signature(r.message()).equals(signature) ? r : null;
  }
}
