package io.veritydb.sim;

/**
 * Engine bugs the simulator found that are not fixed yet. The seed range test and the runner count
 * a failure apart when it matches one of these signatures (message and the faults in the trace); a
 * directed test pins each one and starts failing when the bug is fixed (then delete the entry).
 *
 * <p>None is open now. Fixed so far: "unsynced log tail trusted on reopen" (recovery now makes the
 * tail it accepts durable; pinned by {@code RecoveryRegressionTest}).
 */
final class KnownIssues {
  private KnownIssues() {}

  /** The known issue a failed run matches, or null. */
  static String match(SimResult r) {
    return null;
  }
}
