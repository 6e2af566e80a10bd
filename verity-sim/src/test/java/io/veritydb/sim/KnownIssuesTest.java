package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins each known engine bug with the shrunk program that shows it. When one of these starts
 * failing, the bug was fixed: delete its test and its entry in {@link KnownIssues}.
 */
class KnownIssuesTest {
  @Test
  void unsyncedLogTailIsTrustedOnReopenThenLostAtPowerLoss() {
    // ./verity vopr --seed 16 --keep 90,190,191,192,193 --trace
    SimConfig config = Vopr.program(16, Vopr.DEFAULT_STEPS, Set.of(90, 190, 191, 192, 193));
    SimResult r = new Simulator(config, Plant.NONE).run();
    r.trace().forEach(line -> System.out.println("  | " + line));
    assertTrue(r.failed(), "fixed? then delete this test and KnownIssues.UNSYNCED_TAIL_TRUSTED");
    assertEquals("unsynced log tail trusted on reopen", KnownIssues.match(r), r.message());
  }
}
