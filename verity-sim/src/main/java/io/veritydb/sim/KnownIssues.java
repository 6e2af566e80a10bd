package io.veritydb.sim;

/**
 * Engine bugs the simulator found that are not fixed yet. The seed range test accepts a failure
 * only when it matches one of these signatures exactly; {@link KnownIssuesTest} pins each one with
 * its shrunk reproduction, and starts failing when the bug is fixed (then delete the entry).
 */
final class KnownIssues {
  private KnownIssues() {}

  /**
   * An fsync of the log fails, so the engine stops with the batch written but not durable. The
   * database is reopened without a power loss: recovery reads the unsynced records, treats them as
   * committed, replays them and checkpoints the store past them. A later power loss drops the
   * unsynced records: the store is then ahead of the log and the database refuses to open ("the
   * store has applied up to position N but the log ends at position N-1"). Fix: recovery must fsync
   * the log tail it accepts (or the engine must not checkpoint the store beyond what the log made
   * durable).
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
    if ((storeAhead || checkpointAhead) && fsyncFailedThenClosed) {
      return "unsynced log tail trusted on reopen";
    }
    return null;
  }
}
