package io.veritydb.store;

import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import java.util.Arrays;

/**
 * A scan at position P over raw versions: for each key in the range, the newest version at or
 * before P, skipping keys whose visible version is a tombstone. Entries are ordered (key asc,
 * position desc), so ascending lands on a key's newest version first and jumps past the rest with
 * one in-leaf binary search; descending lands on a key's oldest version and jumps back likewise.
 */
final class MvccCursor implements StoreCursor {
  private static final byte[] EMPTY = new byte[0];

  private final TreeReader reader;
  private final TreeCursor tree;
  private final byte[] low;
  private final byte[] high;
  private final long at;
  private final boolean descending;
  private final int limit;
  private final SnapshotTracker.Pin ownPin;
  private final SnapshotTracker.Pin viewPin;

  /** Keeps {@link #ownPin}'s leak detector from firing while this cursor is reachable. */
  @SuppressWarnings({"unused", "UnusedVariable"})
  private final Object leakToken;

  private int emitted;
  private boolean started;
  private boolean done;
  private byte[] key;
  private byte[] value;

  /** The key the scan visited last (emitted or skipped), or null before the first. */
  private byte[] visited;

  MvccCursor(
      TreeReader reader,
      int rootPage,
      KeyRange range,
      long at,
      boolean descending,
      int limit,
      SnapshotTracker.Pin ownPin,
      SnapshotTracker.Pin viewPin,
      Object leakToken) {
    Checks.checkArgument(limit >= 0, "limit", limit);
    this.reader = reader;
    this.tree = new TreeCursor(reader.cache(), rootPage);
    this.low = range.low();
    this.high = range.high();
    this.at = at;
    this.descending = descending;
    this.limit = limit;
    this.ownPin = ownPin;
    this.viewPin = viewPin;
    this.leakToken = leakToken;
  }

  @Override
  public boolean next() {
    if (done) {
      return false;
    }
    if (viewPin != null && viewPin.isReleased()) {
      throw new ClosedException("the store snapshot this cursor reads was closed");
    }
    if (emitted >= limit) {
      finish();
      return false;
    }
    if (!started) {
      started = true;
      if (descending) {
        if (high == null) {
          tree.seekLast();
        } else {
          tree.seekLt(high, Long.MAX_VALUE);
        }
      } else {
        tree.seekGe(low == null ? EMPTY : low, Long.MAX_VALUE);
      }
    }
    boolean found = descending ? stepDescending() : stepAscending();
    if (!found) {
      finish();
      return false;
    }
    emitted++;
    return true;
  }

  private boolean stepAscending() {
    while (tree.valid()) {
      if (high != null && tree.compareKey(high) >= 0) {
        return false;
      }
      byte[] k = tree.key();
      checkProgress(k);
      if (tree.position() > at) {
        tree.seekGeNear(k, at);
        if (!tree.valid() || !tree.keyEquals(k)) {
          continue;
        }
      }
      byte[] v = reader.value(tree.leaf(), tree.index());
      tree.next();
      if (tree.valid() && tree.keyEquals(k)) {
        tree.seekGeNear(k, -1);
      }
      if (v != null) {
        key = k;
        value = v;
        return true;
      }
    }
    return false;
  }

  private boolean stepDescending() {
    while (tree.valid()) {
      if (low != null && tree.compareKey(low) < 0) {
        return false;
      }
      byte[] k = tree.key();
      checkProgress(k);
      if (tree.position() > at) {
        // Even the oldest version of k is newer than the scan position.
        tree.seekLtNear(k, Long.MAX_VALUE);
        continue;
      }
      tree.seekGeNear(k, at);
      byte[] v = reader.value(tree.leaf(), tree.index());
      tree.seekLtNear(k, Long.MAX_VALUE);
      if (v != null) {
        key = k;
        value = v;
        return true;
      }
    }
    return false;
  }

  /**
   * Each key a scan visits lies beyond the one it visited before (after it ascending, before it
   * descending); a key that does not is corruption: pages that each verify disagree about the key
   * order (a damaged separator or child reference), and going on could visit the same entries again
   * without end.
   */
  private void checkProgress(byte[] k) {
    if (visited != null) {
      int c = Arrays.compareUnsigned(k, visited);
      if (descending ? c >= 0 : c <= 0) {
        throw reader
            .cache()
            .corrupt(
                tree.leaf().page,
                "the tree's pages disagree about key order: "
                    + (descending ? "a descending" : "an ascending")
                    + " scan came back to a key it had passed");
      }
    }
    visited = k;
  }

  private void finish() {
    done = true;
    key = null;
    value = null;
    if (ownPin != null) {
      ownPin.release();
    }
  }

  @Override
  public byte[] key() {
    Checks.checkState(key != null, "cursor is not on an entry");
    return key.clone();
  }

  @Override
  public byte[] value() {
    Checks.checkState(value != null, "cursor is not on an entry");
    return value.clone();
  }

  @Override
  public void close() {
    if (!done) {
      finish();
    }
  }
}
