package io.veritydb.store;

import java.util.Arrays;

/**
 * A set of page numbers as a growable bit array. Unlike {@link java.util.BitSet}, clearing the
 * highest set bit costs O(1): BitSet then scans down for the new highest word, which made page
 * allocation O(pages) per call in long runs without a flush (fresh pages allocated and freed at the
 * top of a mostly empty set).
 */
final class PageBits {
  private long[] words = new long[16];

  void set(int page) {
    int word = page >>> 6;
    if (word >= words.length) {
      words = Arrays.copyOf(words, Math.max(words.length * 2, word + 1));
    }
    words[word] |= 1L << page;
  }

  void clear(int page) {
    int word = page >>> 6;
    if (word < words.length) {
      words[word] &= ~(1L << page);
    }
  }

  boolean get(int page) {
    int word = page >>> 6;
    return word < words.length && (words[word] & (1L << page)) != 0;
  }

  void clearAll() {
    Arrays.fill(words, 0L);
  }

  /** The lowest page at or above {@code from} in the set, or -1 when there is none. */
  int nextSetBit(int from) {
    int word = from >>> 6;
    if (word >= words.length) {
      return -1;
    }
    long w = words[word] & (-1L << from);
    while (true) {
      if (w != 0) {
        return (word << 6) + Long.numberOfTrailingZeros(w);
      }
      if (++word == words.length) {
        return -1;
      }
      w = words[word];
    }
  }
}
