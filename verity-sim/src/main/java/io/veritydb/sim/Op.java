package io.veritydb.sim;

/**
 * One step of a simulated run. The step's details (tenant, table, values, fault parameters) are
 * drawn from its own {@code seed} against the state at the time it runs, so a run can drop steps
 * (shrinking) and the remaining ones still mean the same thing.
 *
 * @param index the step's place in the generated program (stable under shrinking)
 * @param kind what the step does
 * @param seed the step's own random stream
 */
record Op(int index, Kind kind, long seed) {
  /** The kinds of step: workload, scheduling, checks and faults. */
  enum Kind {
    CREATE_TABLE(false),
    CREATE_INDEX(false),
    INSERT(false),
    INSERT_BATCH(false),
    UPDATE(false),
    DELETE(false),
    QUERY(false),
    QUERY_AT(false),
    /** One to three duty cycles of the kernel agent. */
    WORK(false),
    /** Log verification and comparison of a replay of the log with the model. */
    AUDIT(false),
    /** Clean close and reopen. */
    RESTART(true),
    /** Power loss or process kill between duty cycles, then reopen. */
    CRASH(true),
    /** Crash at the n-th file write/sync/rename from now (group commit, store flush, recovery). */
    CRASH_IN_IO(true),
    FSYNC_FAIL(true),
    TORN_WRITE(true),
    DISK_FULL(true),
    READ_ERROR(true),
    BIT_FLIP_LOG(true),
    BIT_FLIP_STORE(true);

    final boolean fault;

    Kind(boolean fault) {
      this.fault = fault;
    }
  }

  @Override
  public String toString() {
    return "#" + index + " " + kind + " " + Long.toHexString(seed);
  }
}
