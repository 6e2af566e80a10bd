package io.veritydb.kernel;

import io.veritydb.store.KeyRange;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.types.Checks;
import java.util.Arrays;
import java.util.Comparator;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Finds the first duplicate primary key of an INSERT: the first row (in command order) whose key an
 * earlier row of the command already has, or which the store already holds. Small commands look
 * each key up (a tree descent per row); larger ones sort the keys and check them against the store
 * with one ordered walk of the key range they span, so a 1000-row batch costs one descent and a
 * walk instead of 1000 descents. The walk reads at most {@code 2 * keys + WALK_SLACK} entries; keys
 * beyond the point it stopped at (a sparse batch over a dense table) are looked up one by one, so
 * the cost stays bounded by the batch whatever the table holds. Both ways give the same answer: it
 * depends only on the keys and the view.
 */
final class BatchKeys {
  private BatchKeys() {}

  /** From this many rows on, keys are sorted and checked with one walk. */
  static final int SORTED_FROM_ROWS = 16;

  /** Entries the walk may read beyond twice the number of keys. */
  static final int WALK_SLACK = 64;

  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  /**
   * The index of the first row among {@code keys[0..count)} that is a duplicate, or -1 when there
   * is none.
   */
  static int firstDuplicate(StoreReader view, byte[][] keys, int count) {
    Checks.checkArgument(count >= 0 && count <= keys.length, "count", count);
    return count < SORTED_FROM_ROWS ? byLookups(view, keys, count) : byWalk(view, keys, count);
  }

  /** One store lookup per row, in order. */
  static int byLookups(StoreReader view, byte[][] keys, int count) {
    if (count == 1) {
      return view.get(keys[0]) != null ? 0 : -1; // the single-row INSERT: one lookup
    }
    NavigableSet<byte[]> seen = new TreeSet<>(UNSIGNED);
    for (int i = 0; i < count; i++) {
      if (!seen.add(keys[i]) || view.get(keys[i]) != null) {
        return i;
      }
    }
    return -1;
  }

  /** A row's key and its place in the command. */
  private static final class Keyed {
    final byte[] key;
    final int row;

    Keyed(byte[] key, int row) {
      this.key = key;
      this.row = row;
    }
  }

  /** Sorted keys, one walk of the store over their range. */
  static int byWalk(StoreReader view, byte[][] keys, int count) {
    if (count == 0) {
      return -1;
    }
    Keyed[] sorted = new Keyed[count];
    for (int i = 0; i < count; i++) {
      sorted[i] = new Keyed(keys[i], i);
    }
    // Stable: equal keys stay in row order, so the first of a run is the earliest row.
    Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.key, b.key));
    int first = Integer.MAX_VALUE;
    // Distinct keys in order, each with the earliest row that has it.
    byte[][] distinct = new byte[count][];
    int[] earliest = new int[count];
    int m = 0;
    for (int i = 0; i < count; i++) {
      if (m > 0 && Arrays.equals(distinct[m - 1], sorted[i].key)) {
        first = Math.min(first, sorted[i].row); // a later row repeats an earlier row's key
      } else {
        distinct[m] = sorted[i].key;
        earliest[m] = sorted[i].row;
        m++;
      }
    }
    int limit = 2 * m + WALK_SLACK;
    byte[] last = distinct[m - 1];
    byte[] high = Arrays.copyOf(last, last.length + 1); // the smallest key after `last`
    int b = 0;
    int read = 0;
    try (StoreCursor cursor = view.scan(new KeyRange(distinct[0], high), false, limit)) {
      while (b < m && cursor.next()) {
        read++;
        byte[] stored = cursor.key();
        while (b < m && Arrays.compareUnsigned(distinct[b], stored) < 0) {
          b++;
        }
        if (b < m && Arrays.equals(distinct[b], stored)) {
          first = Math.min(first, earliest[b]);
          b++;
        }
      }
    }
    if (read == limit) {
      // The walk stopped early: the keys after where it stopped are looked up.
      for (; b < m; b++) {
        if (view.get(distinct[b]) != null) {
          first = Math.min(first, earliest[b]);
        }
      }
    }
    return first == Integer.MAX_VALUE ? -1 : first;
  }
}
