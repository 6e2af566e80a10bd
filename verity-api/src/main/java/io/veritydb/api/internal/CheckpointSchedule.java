package io.veritydb.api.internal;

/**
 * When the kernel agent checkpoints: the store (with a log checkpoint and a signed checkpoint)
 * every {@code every} positions, and a log checkpoint alone every {@link #LOG_EVERY} positions
 * between them, so that an open after a crash hashes at most that much of the chain whatever {@code
 * every} is ({@code verity verify} still checks the whole chain).
 */
final class CheckpointSchedule {
  /** Positions between log checkpoints (position and chain hash: a few bytes and one fsync). */
  static final long LOG_EVERY = 1 << 16;

  private final long every;
  private long sinceStore;
  private long sinceLog;

  CheckpointSchedule(long every) {
    this.every = every;
  }

  /** {@code positions} were replayed at open: they count towards the next store checkpoint. */
  void replayed(long positions) {
    sinceStore += positions;
  }

  /** {@code positions} more are applied by a group. */
  void applied(long positions) {
    sinceStore += positions;
    sinceLog += positions;
  }

  boolean storeDue() {
    return sinceStore >= every;
  }

  boolean logDue() {
    return sinceLog >= LOG_EVERY;
  }

  /** Whether positions were applied since the last store checkpoint. */
  boolean pending() {
    return sinceStore > 0;
  }

  void storeCheckpointed() {
    sinceStore = 0;
    sinceLog = 0;
  }

  void logCheckpointed() {
    sinceLog = 0;
  }
}
