package io.veritydb.store;

import io.veritydb.types.Checks;

/**
 * A leaf: versions ordered by (key ascending, position descending), so the newest version of a key
 * comes first and the version visible at an older position is a few entries further on.
 */
final class LeafNode extends Node {
  static final byte KIND_VALUE = 0;
  static final byte KIND_TOMBSTONE = 1;
  static final byte KIND_OVERFLOW = 2;

  byte[][] keys;
  long[] positions;
  byte[] kinds;
  byte[][] values;
  int count;

  /** Encoded body bytes of all entries. */
  int bytes;

  LeafNode(int page, long owner, int capacity) {
    super(page, owner);
    keys = new byte[capacity][];
    positions = new long[capacity];
    kinds = new byte[capacity];
    values = new byte[capacity][];
  }

  /** A modifiable copy at {@code newPage} owned by {@code newOwner}. */
  LeafNode copyTo(int newPage, long newOwner) {
    LeafNode copy = new LeafNode(newPage, newOwner, Math.max(count + 4, 8));
    System.arraycopy(keys, 0, copy.keys, 0, count);
    System.arraycopy(positions, 0, copy.positions, 0, count);
    System.arraycopy(kinds, 0, copy.kinds, 0, count);
    System.arraycopy(values, 0, copy.values, 0, count);
    copy.count = count;
    copy.bytes = bytes;
    return copy;
  }

  /** The first index whose entry is at or after (key, position); count when none. */
  int lowerBound(byte[] key, long position) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(keys[mid], positions[mid], key, position) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  int compareAt(int index, byte[] key, long position) {
    return compare(keys[index], positions[index], key, position);
  }

  void insert(int index, byte[] key, long position, byte kind, byte[] value) {
    Checks.checkArgument(index >= 0 && index <= count, "index", index, "count", count);
    if (count == keys.length) {
      int capacity = Math.max(8, count * 2);
      keys = java.util.Arrays.copyOf(keys, capacity);
      positions = java.util.Arrays.copyOf(positions, capacity);
      kinds = java.util.Arrays.copyOf(kinds, capacity);
      values = java.util.Arrays.copyOf(values, capacity);
    }
    int tail = count - index;
    System.arraycopy(keys, index, keys, index + 1, tail);
    System.arraycopy(positions, index, positions, index + 1, tail);
    System.arraycopy(kinds, index, kinds, index + 1, tail);
    System.arraycopy(values, index, values, index + 1, tail);
    keys[index] = key;
    positions[index] = position;
    kinds[index] = kind;
    values[index] = value;
    count++;
    bytes += LeafLayout.entrySize(key.length, value.length);
  }

  void replace(int index, byte kind, byte[] value) {
    bytes += value.length - values[index].length;
    kinds[index] = kind;
    values[index] = value;
  }

  void remove(int index) {
    Checks.checkArgument(index >= 0 && index < count, "index", index, "count", count);
    bytes -= LeafLayout.entrySize(keys[index].length, values[index].length);
    int tail = count - index - 1;
    System.arraycopy(keys, index + 1, keys, index, tail);
    System.arraycopy(positions, index + 1, positions, index, tail);
    System.arraycopy(kinds, index + 1, kinds, index, tail);
    System.arraycopy(values, index + 1, values, index, tail);
    count--;
    keys[count] = null;
    values[count] = null;
  }

  /** Moves the entries from {@code from} on into a new right sibling at {@code rightPage}. */
  LeafNode splitOff(int from, int rightPage) {
    Checks.checkArgument(from > 0 && from < count, "from", from, "count", count);
    int moved = count - from;
    LeafNode right = new LeafNode(rightPage, owner, Math.max(moved + 4, 8));
    System.arraycopy(keys, from, right.keys, 0, moved);
    System.arraycopy(positions, from, right.positions, 0, moved);
    System.arraycopy(kinds, from, right.kinds, 0, moved);
    System.arraycopy(values, from, right.values, 0, moved);
    right.count = moved;
    for (int i = from; i < count; i++) {
      int size = LeafLayout.entrySize(keys[i].length, values[i].length);
      bytes -= size;
      right.bytes += size;
      keys[i] = null;
      values[i] = null;
    }
    count = from;
    return right;
  }

  @Override
  int memoryBytes() {
    return 96 + bytes + count * 48;
  }
}
