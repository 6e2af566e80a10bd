package io.veritydb.store;

import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.UnavailableException;
import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Which roots readers still hold. Pinning reads the current root under the same lock the writer
 * uses to ask for the oldest pinned position, so the writer never reuses a page a newly pinned
 * reader can reach. A pin that is garbage collected without being released (a snapshot or cursor
 * never closed) is released by a {@link Cleaner} and counted as leaked.
 */
final class SnapshotTracker {
  private static final Cleaner CLEANER = Cleaner.create();

  private final TreeMap<Long, Integer> pins = new TreeMap<>();
  private final TreeMap<Long, Integer> purgePins = new TreeMap<>();
  private final int maxOpen;
  private int open;
  private boolean closed;
  private final AtomicLong leaked = new AtomicLong();

  SnapshotTracker(int maxOpen) {
    Checks.checkArgument(maxOpen > 0, "maxOpenSnapshots", maxOpen);
    this.maxOpen = maxOpen;
  }

  /**
   * Refuses every later pin, if nothing is pinned now; returns whether it did (then no reader can
   * reach any page any more). The store is closing.
   */
  synchronized boolean closeIfIdle() {
    if (open > 0) {
      return false;
    }
    closed = true;
    return true;
  }

  /** Pins the root {@code current} returns; {@code owner} is the object whose leak releases it. */
  Pin pin(Supplier<Root> current, Object owner) {
    Root root;
    synchronized (this) {
      if (closed) {
        throw new ClosedException("the store is closed");
      }
      if (open >= maxOpen) {
        throw new UnavailableException(
            "too many open store snapshots ("
                + open
                + "): close snapshots and cursors (try-with-resources) when done");
      }
      root = current.get();
      pins.merge(root.position(), 1, Integer::sum);
      purgePins.merge(root.purges(), 1, Integer::sum);
      open++;
    }
    Pin pin = new Pin(this, root);
    pin.cleanable = CLEANER.register(owner, pin::leak);
    return pin;
  }

  private synchronized void unpin(Root root) {
    decrement(pins, root.position());
    decrement(purgePins, root.purges());
    open--;
  }

  private static void decrement(Map<Long, Integer> map, long key) {
    Integer count = map.get(key);
    Checks.checkState(count != null && count > 0, "unpinned", key);
    if (count == 1) {
      map.remove(key);
    } else {
      map.put(key, count - 1);
    }
  }

  /** The fewest purges of any pinned root, or {@code ifNone} when nothing is pinned. */
  synchronized long oldestPurgePinned(long ifNone) {
    return purgePins.isEmpty() ? ifNone : Math.min(ifNone, purgePins.firstKey());
  }

  /** The oldest pinned position, or {@code ifNone} when nothing is pinned. */
  synchronized long oldestPinned(long ifNone) {
    return pins.isEmpty() ? ifNone : Math.min(ifNone, pins.firstKey());
  }

  synchronized int openCount() {
    return open;
  }

  long leakedCount() {
    return leaked.get();
  }

  /** One reader's hold on a root. */
  static final class Pin {
    private final SnapshotTracker tracker;
    private final Root root;
    private final AtomicBoolean released = new AtomicBoolean();
    private Cleaner.Cleanable cleanable;

    private Pin(SnapshotTracker tracker, Root root) {
      this.tracker = tracker;
      this.root = root;
    }

    Root root() {
      return root;
    }

    boolean isReleased() {
      return released.get();
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        tracker.unpin(root);
      }
      Cleaner.Cleanable c = cleanable;
      if (c != null) {
        c.clean();
      }
    }

    private void leak() {
      if (released.compareAndSet(false, true)) {
        tracker.leaked.incrementAndGet();
        tracker.unpin(root);
      }
    }
  }
}
