package io.veritydb.sim;

/**
 * Engine bugs the simulator found that are not fixed yet. The seed range test and the runner count
 * a failure apart when it matches one of these signatures (message and the faults in the trace);
 * {@code KnownIssuesTest} pins each one with a directed scenario and starts failing when the bug is
 * fixed (then delete the entry).
 */
final class KnownIssues {
  private KnownIssues() {}

  /**
   * An fsync of the log fails, so the engine stops with the batch written but not durable. The
   * database is reopened without a power loss: recovery reads the unsynced records, treats them as
   * committed, replays them, checkpoints the store past them and appends after them. A later power
   * loss drops the unsynced records, and the database refuses to open, with one of three messages:
   * the store is ahead of the log ("the store has applied up to position N but the log ends at
   * position N-1"); the log's checkpoint file records a position the log lost ("the log ends at
   * position N-1 but checkpoint file ... records position N"); or the lost record had opened a new
   * segment and records acknowledged later sit in the next one ("segment gap: expected a segment
   * starting at position N"), which makes acknowledged records unreachable. Fix: recovery must
   * fsync the log tail it accepts before anything builds on it.
   */
  static final String UNSYNCED_TAIL_TRUSTED = "the store has applied up to position";

  private static boolean reopenWithoutCrash(String line) {
    return line.contains("restart by close")
        || line.contains(" clean restart")
        || line.contains("not crashed in duty cycles: close");
  }

  /** The known issue a failed run matches, or null. */
  static String match(SimResult r) {
    if (!r.failed()) {
      return null;
    }
    String m = r.message();
    boolean storeAhead =
        m.contains(UNSYNCED_TAIL_TRUSTED) && m.contains("but the log ends at position");
    boolean checkpointAhead =
        m.contains("but checkpoint file") && m.contains("acknowledged records are missing");
    boolean fsyncFailedThenClosed =
        r.trace().stream().anyMatch(line -> line.contains(" FSYNC_FAIL "))
            && r.trace().stream().anyMatch(KnownIssues::reopenWithoutCrash);
    boolean segmentGap = m.contains("segment gap: expected a segment starting at position");
    if ((storeAhead || checkpointAhead || segmentGap) && fsyncFailedThenClosed) {
      return "unsynced log tail trusted on reopen";
    }
    return null;
  }
}
