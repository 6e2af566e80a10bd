package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** One seed decides everything: two runs of a seed give the same trace, byte for byte. */
class DeterminismTest {
  @Test
  void sameSeedGivesSameTraceTwice() {
    for (long seed = 1; seed <= 8; seed++) {
      SimResult a = new Simulator(SimConfig.generate(seed, 300), Plant.NONE).run();
      SimResult b = new Simulator(SimConfig.generate(seed, 300), Plant.NONE).run();
      System.out.println(a.summary());
      assertEquals(a.traceHash(), b.traceHash(), "seed " + seed);
      assertEquals(a.trace(), b.trace(), "seed " + seed);
      assertEquals(a.simulatedMicros(), b.simulatedMicros(), "seed " + seed);
    }
  }

  @Test
  void differentSeedsGiveDifferentRuns() {
    SimResult a = new Simulator(SimConfig.generate(11, 100), Plant.NONE).run();
    SimResult b = new Simulator(SimConfig.generate(12, 100), Plant.NONE).run();
    assertNotEquals(a.traceHash(), b.traceHash());
  }

  @Test
  void failingSeedReproducesWithTheSameTrace() {
    SimConfig config = SimConfig.generate(3, 300);
    SimResult a = new Simulator(config, PlantedBugs.readPreviousPosition()).run();
    SimResult b = new Simulator(config, PlantedBugs.readPreviousPosition()).run();
    assertEquals(a.outcome(), b.outcome());
    assertEquals(a.traceHash(), b.traceHash());
    assertEquals(a.message(), b.message());
  }
}
