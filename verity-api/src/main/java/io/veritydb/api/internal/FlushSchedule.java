package io.veritydb.api.internal;

/**
 * When the kernel agent flushes the store and signs a checkpoint (with a chain mark), every {@code
 * every} positions, and when it writes a chain mark alone: every {@link #MARK_EVERY} positions
 * between them, so that an open after a crash hashes at most that much of the chain whatever {@code
 * every} is ({@code verity verify} still checks the whole chain).
 */
final class FlushSchedule {
  /** Positions between chain marks (position and chain hash: a few bytes and one fsync). */
  static final long MARK_EVERY = 1 << 16;

  private final long every;
  private long sinceFlush;
  private long sinceMark;

  FlushSchedule(long every) {
    this.every = every;
  }

  /** {@code positions} were replayed at open: they count towards the next store flush. */
  void replayed(long positions) {
    sinceFlush += positions;
  }

  /** {@code positions} more are applied by a group. */
  void applied(long positions) {
    sinceFlush += positions;
    sinceMark += positions;
  }

  /** Whether the store flush (with a chain mark and a signed checkpoint) is due. */
  boolean flushDue() {
    return sinceFlush >= every;
  }

  /** Whether a chain mark alone is due. */
  boolean markDue() {
    return sinceMark >= MARK_EVERY;
  }

  /** Whether positions were applied since the last store flush. */
  boolean pending() {
    return sinceFlush > 0;
  }

  /** The store was flushed, the chain marked and a checkpoint signed. */
  void flushed() {
    sinceFlush = 0;
    sinceMark = 0;
  }

  /** The chain was marked. */
  void marked() {
    sinceMark = 0;
  }
}
