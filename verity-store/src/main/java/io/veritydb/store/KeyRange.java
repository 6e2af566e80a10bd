package io.veritydb.store;

import java.util.Arrays;

/**
 * A range of keys in byte-wise unsigned order: {@code low} inclusive, {@code high} exclusive;
 * {@code null} for an open end.
 */
public final class KeyRange {
  public static final KeyRange ALL = new KeyRange(null, null);

  private final byte[] low;
  private final byte[] high;

  public KeyRange(byte[] low, byte[] high) {
    this.low = low == null ? null : low.clone();
    this.high = high == null ? null : high.clone();
  }

  /** The inclusive lower bound, or null for none. */
  public byte[] low() {
    return low == null ? null : low.clone();
  }

  /** The exclusive upper bound, or null for none. */
  public byte[] high() {
    return high == null ? null : high.clone();
  }

  /** Every key that starts with {@code prefix}. */
  public static KeyRange prefix(byte[] prefix) {
    return new KeyRange(prefix, successorOfPrefix(prefix));
  }

  /** Whether {@code key} lies inside the range. */
  public boolean contains(byte[] key) {
    return (low == null || Arrays.compareUnsigned(key, low) >= 0)
        && (high == null || Arrays.compareUnsigned(key, high) < 0);
  }

  /** The smallest key greater than every key with this prefix, or null when there is none. */
  public static byte[] successorOfPrefix(byte[] prefix) {
    byte[] next = prefix.clone();
    for (int i = next.length - 1; i >= 0; i--) {
      if (next[i] != (byte) 0xFF) {
        next[i]++;
        return Arrays.copyOf(next, i + 1);
      }
    }
    return null;
  }
}
