package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The write epoch of a {@link PagedStore}: the run of applies since the last publish. Nodes copied
 * or allocated by the epoch are owned by it ({@link Node#owner} = {@link #current()}) and changed
 * in place by its later applies. The epoch ends (a new number starts) whenever a reader could reach
 * its nodes: at every publish, and before an apply while a cursor of the store itself (the writer
 * reading its own unpublished tree) is still open. So nothing reachable from a published or pinned
 * root is ever changed. Writer thread only.
 */
final class WriteEpoch {
  /** Epoch numbers are positive: purges own their nodes with negative numbers. */
  private long current = 1;

  private boolean unpublished;

  /** Pins of the store's own cursors opened on the unpublished tree during this epoch. */
  private final List<SnapshotTracker.Pin> cursors = new ArrayList<>();

  long current() {
    return current;
  }

  /** Whether something was applied since the last publish. */
  boolean unpublished() {
    return unpublished;
  }

  void applied() {
    unpublished = true;
  }

  /** The working tree was published (or dropped): a new epoch starts. */
  void published() {
    unpublished = false;
    next();
  }

  /** A cursor of the store itself now reads the working tree. */
  void cursorOpened(SnapshotTracker.Pin pin) {
    if (unpublished) {
      cursors.add(pin);
    }
  }

  /** Before an apply: ends the epoch if a cursor opened on its nodes is still open. */
  void beforeApply() {
    if (cursors.isEmpty()) {
      return;
    }
    boolean open = false;
    for (SnapshotTracker.Pin pin : cursors) {
      open |= !pin.isReleased();
    }
    if (open) {
      next();
    } else {
      cursors.clear();
    }
  }

  private void next() {
    current++;
    Checks.checkState(current > 0, "write epoch overflow", current);
    cursors.clear();
  }
}
