package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.Arrays;

/**
 * An interior node: {@code count} separators (key, position) and {@code count + 1} children. Child
 * {@code i} holds the entries e with separator[i-1] &lt;= e &lt; separator[i].
 */
final class BranchNode extends Node {
  byte[][] keys;
  long[] positions;
  int[] children;
  int count;

  /** Encoded body bytes. */
  int bytes;

  /**
   * The separator keys packed into one array, built on first search so that a binary search reads
   * one array instead of one object per key. Every change clears it (only the writer changes nodes,
   * and only before publishing them). Published racily: its fields are final.
   */
  private Packed packed;

  private static final class Packed {
    final byte[] data;
    final int[] offsets;

    Packed(byte[] data, int[] offsets) {
      this.data = data;
      this.offsets = offsets;
    }
  }

  private Packed packed() {
    if (owner != IMMUTABLE) {
      // Still being changed by the writer (or not yet flushed): do not cache.
      return null;
    }
    Packed p = packed;
    if (p == null) {
      int total = 0;
      for (int i = 0; i < count; i++) {
        total += keys[i].length;
      }
      byte[] data = new byte[total];
      int[] offsets = new int[count + 1];
      int at = 0;
      for (int i = 0; i < count; i++) {
        offsets[i] = at;
        System.arraycopy(keys[i], 0, data, at, keys[i].length);
        at += keys[i].length;
      }
      offsets[count] = at;
      p = new Packed(data, offsets);
      packed = p;
    }
    return p;
  }

  private int compareSeparator(Packed p, int i, byte[] key, long position) {
    if (p == null) {
      return compare(keys[i], positions[i], key, position);
    }
    int c = Arrays.compareUnsigned(p.data, p.offsets[i], p.offsets[i + 1], key, 0, key.length);
    return c != 0 ? c : Long.compare(position, positions[i]);
  }

  BranchNode(int page, long owner, int capacity) {
    super(page, owner);
    keys = new byte[capacity][];
    positions = new long[capacity];
    children = new int[capacity + 1];
    bytes = BranchLayout.FIRST_CHILD_SIZE;
  }

  BranchNode copyTo(int newPage, long newOwner) {
    BranchNode copy = new BranchNode(newPage, newOwner, Math.max(count + 4, 8));
    System.arraycopy(keys, 0, copy.keys, 0, count);
    System.arraycopy(positions, 0, copy.positions, 0, count);
    System.arraycopy(children, 0, copy.children, 0, count + 1);
    copy.count = count;
    copy.bytes = bytes;
    return copy;
  }

  /** The child holding (key, position) and the entries after it up to the next separator. */
  int childFor(byte[] key, long position) {
    return separatorsBelow(key, position, 1);
  }

  /** Whether separator {@code i} sorts after (key, position): the entry belongs left of it. */
  boolean separatorAfter(int i, byte[] key, long position) {
    return compareSeparator(packed(), i, key, position) > 0;
  }

  /** The child holding the greatest entry strictly before (key, position). */
  int childBefore(byte[] key, long position) {
    return separatorsBelow(key, position, 0);
  }

  /**
   * How many separators (a prefix, they are sorted) compare below {@code bound} with (key,
   * position): with 1 those at or before it, with 0 those strictly before it. Binary search.
   */
  private int separatorsBelow(byte[] key, long position, int bound) {
    Packed p = packed();
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareSeparator(p, mid, key, position) < bound) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Inserts separator (key, position) at {@code index} with {@code rightChild} after it. */
  void insert(int index, byte[] key, long position, int rightChild) {
    Checks.checkArgument(index >= 0 && index <= count, "index", index, "count", count);
    packed = null;
    if (count == keys.length) {
      int capacity = Math.max(8, count * 2);
      keys = Arrays.copyOf(keys, capacity);
      positions = Arrays.copyOf(positions, capacity);
      children = Arrays.copyOf(children, capacity + 1);
    }
    int tail = count - index;
    System.arraycopy(keys, index, keys, index + 1, tail);
    System.arraycopy(positions, index, positions, index + 1, tail);
    System.arraycopy(children, index + 1, children, index + 2, tail);
    keys[index] = key;
    positions[index] = position;
    children[index + 1] = rightChild;
    count++;
    bytes += BranchLayout.entrySize(key.length);
  }

  /**
   * Removes separator {@code index} and the child to its right (merged into the one to its left).
   */
  void removeSeparator(int index) {
    Checks.checkArgument(index >= 0 && index < count, "index", index, "count", count);
    packed = null;
    bytes -= BranchLayout.entrySize(keys[index].length);
    int tail = count - index - 1;
    System.arraycopy(keys, index + 1, keys, index, tail);
    System.arraycopy(positions, index + 1, positions, index, tail);
    System.arraycopy(children, index + 2, children, index + 1, tail);
    count--;
    keys[count] = null;
  }

  /**
   * Splits around separator {@code middle}: it moves up (returned through the new node's caller),
   * separators after it and their children go to a new right sibling at {@code rightPage}.
   */
  BranchNode splitOff(int middle, int rightPage) {
    Checks.checkArgument(middle > 0 && middle < count - 1, "middle", middle, "count", count);
    packed = null;
    int moved = count - middle - 1;
    BranchNode right = new BranchNode(rightPage, owner, Math.max(moved + 4, 8));
    System.arraycopy(keys, middle + 1, right.keys, 0, moved);
    System.arraycopy(positions, middle + 1, right.positions, 0, moved);
    System.arraycopy(children, middle + 1, right.children, 0, moved + 1);
    right.count = moved;
    for (int i = middle; i < count; i++) {
      int size = BranchLayout.entrySize(keys[i].length);
      bytes -= size;
      if (i > middle) {
        right.bytes += size;
      }
      keys[i] = null;
    }
    count = middle;
    return right;
  }

  @Override
  int memoryBytes() {
    return 96 + 2 * bytes + count * 40;
  }
}
