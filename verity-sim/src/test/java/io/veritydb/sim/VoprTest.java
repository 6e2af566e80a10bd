package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runner's command line, output and exit codes; shrinking of a failing seed. */
class VoprTest {
  private static String run(int expectedExit, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = Vopr.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), args);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, exit, out);
    return out;
  }

  @Test
  void printsOneLinePerSeed() {
    String out = run(0, "--seeds", "4..6", "--steps", "120");
    assertTrue(out.contains("seed=4 "), out);
    assertTrue(out.contains("seed=5 "), out);
    assertTrue(out.contains("seed=6 "), out);
    assertTrue(out.contains("3 seeds, 0 failed"), out);
  }

  @Test
  void rejectsBadArguments() {
    assertTrue(run(2, "--bogus").contains("usage"));
    assertTrue(run(2).contains("usage"));
    assertTrue(run(2, "--seeds", "5..1").contains("usage"));
  }

  @Test
  void stopsStartingSeedsWhenTheTimeBudgetIsSpent() {
    String out = run(0, "--seeds", "1..100000", "--steps", "50", "--time-budget", "2s");
    assertTrue(out.contains("failed"), out);
    assertTrue(!out.contains("seed=100000 "), out);
  }

  @Test
  void parsesDurations() {
    assertEquals(Duration.ofMinutes(10), Vopr.parseDuration("10m"));
    assertEquals(Duration.ofSeconds(90), Vopr.parseDuration("90s"));
    assertEquals(Duration.ofHours(2), Vopr.parseDuration("2h"));
  }

  @Test
  void shrinksAFailingSeedToAReproducibleSmallerProgram() {
    Plant plant = PlantedBugs.readPreviousPosition();
    SimConfig failing = null;
    SimResult result = null;
    for (long seed = 1; seed <= 20 && failing == null; seed++) {
      SimConfig c = SimConfig.generate(seed, 200);
      SimResult r = new Simulator(c, plant).run();
      if (r.failed()) {
        failing = c;
        result = r;
      }
    }
    assertTrue(failing != null, "the planted bug must fail some seed");
    Shrinker.Shrunk s = new Shrinker(plant, 300).shrink(failing, result);
    System.out.println(
        "shrunk seed "
            + failing.seed
            + " from "
            + failing.program.size()
            + " to "
            + s.config().program.size()
            + " steps in "
            + s.runs()
            + " runs");
    s.result().trace().forEach(line -> System.out.println("  | " + line));
    assertTrue(s.config().program.size() < failing.program.size() / 4, "shrunk enough");
    java.util.Set<Integer> keep = new java.util.TreeSet<>();
    s.config().program.forEach(op -> keep.add(op.index()));
    SimResult again = new Simulator(Vopr.program(failing.seed, 200, keep), plant).run();
    assertTrue(again.failed(), "the shrunk program reproduces the failure");
    assertEquals(s.result().traceHash(), again.traceHash());
  }
}
