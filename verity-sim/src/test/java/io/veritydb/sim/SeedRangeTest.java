package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CI seed range: every seed passes, or stops with a clear error after injected corruption. */
class SeedRangeTest {
  /** Sized to take about a minute on two cores; longer explorations use the Vopr runner. */
  static final long LAST_SEED = 80;

  @Test
  void fixedSeedRangeHoldsEveryInvariant() {
    List<String> failures = new ArrayList<>();
    long faults = 0;
    long detected = 0;
    long start = System.nanoTime();
    long simMicros = 0;
    for (long seed = 1; seed <= LAST_SEED; seed++) {
      SimResult r = new Simulator(SimConfig.generate(seed, Vopr.DEFAULT_STEPS), Plant.NONE).run();
      System.out.println(r.summary());
      faults += r.faults();
      simMicros += r.simulatedMicros();
      if (r.outcome() == SimResult.Outcome.DETECTED) {
        detected++;
      }
      String known = KnownIssues.match(r);
      if (known != null) {
        System.out.println("  known issue (see KnownIssues): " + known);
      } else if (r.failed()) {
        failures.add(
            "seed " + seed + ": " + r.message() + "\n  reproduce: ./verity vopr --seed " + seed);
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%d seeds in %.1fs (%.1f seeds/min), %.1fs simulated, %d faults, %d stopped on detected corruption%n",
        LAST_SEED, wall, LAST_SEED * 60 / wall, simMicros / 1e6, faults, detected);
    assertTrue(faults > LAST_SEED, "the range must inject faults");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }
}
