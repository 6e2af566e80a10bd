package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The harness has teeth: each planted bug makes some seed fail within a bounded number of seeds,
 * and the same seeds pass without it.
 */
class PlantedBugsTest {
  private static final int STEPS = 300;

  @Test
  void catchesSkippedLogFsync() {
    assertCaught(PlantedBugs.skipLogFsync(), SimConfig.Profile.DEFAULT, 20);
  }

  @Test
  void catchesBatchAppliedBeforeItIsDurable() {
    assertCaught(PlantedBugs.applyBeforeDurable(), SimConfig.Profile.DEFAULT, 20);
  }

  @Test
  void catchesReadAtThePreviousPosition() {
    assertCaught(PlantedBugs.readPreviousPosition(), SimConfig.Profile.DEFAULT, 10);
  }

  @Test
  void catchesChecksumFailureReturnedAsData() {
    assertCaught(PlantedBugs.ignoreChecksumFailure(), SimConfig.Profile.CORRUPTION, 80);
  }

  @Test
  void catchesARejectionAuditedAsApplied() {
    assertCaught(PlantedBugs.rejectionAuditedAsApplied(), SimConfig.Profile.DEFAULT, 10);
  }

  private static void assertCaught(Plant plant, SimConfig.Profile profile, int maxSeeds) {
    for (long seed = 1; seed <= maxSeeds; seed++) {
      SimConfig config = SimConfig.generate(seed, STEPS, profile);
      SimResult planted = new Simulator(config, plant).run();
      if (planted.failed()) {
        System.out.println(
            plant.name()
                + " caught by seed "
                + seed
                + " at step "
                + planted.failedAt()
                + ": "
                + planted.message());
        SimResult clean = new Simulator(config, Plant.NONE).run();
        assertEquals(
            SimResult.Outcome.PASS == clean.outcome()
                || SimResult.Outcome.DETECTED == clean.outcome(),
            true,
            "seed " + seed + " must not fail without the planted bug: " + clean.message());
        return;
      }
    }
    fail(plant.name() + " was not caught in " + maxSeeds + " seeds");
  }
}
