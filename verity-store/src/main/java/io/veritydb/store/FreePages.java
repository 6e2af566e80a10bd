package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.agrona.collections.IntArrayList;

/**
 * The pages free for reuse right now, handed out lowest page first: live pages then gather at the
 * start of the file and free ones at its end, where a checkpoint can cut them off ({@link
 * SpaceManager#planCheckpoint}). One bit per page of the file in a plain word array (not {@link
 * java.util.BitSet}, whose clear of the highest bit rescans the set: see {@link PageBits}); a hint
 * keeps the search for the lowest page from rescanning the words below it. Writer thread only.
 */
final class FreePages {
  private long[] words = new long[16];
  private int size;

  /** No word below this one has a bit set. */
  private int lowestWord;

  void add(int page) {
    Checks.checkArgument(page >= SuperblockLayout.FIRST_DATA_PAGE, "free page", page);
    int word = page >>> 6;
    if (word >= words.length) {
      words = Arrays.copyOf(words, Math.max(words.length * 2, word + 1));
    }
    long bit = 1L << page;
    Checks.checkState((words[word] & bit) == 0, "page freed twice", page);
    words[word] |= bit;
    size++;
    lowestWord = Math.min(lowestWord, word);
  }

  void addAll(IntArrayList list) {
    for (int i = 0; i < list.size(); i++) {
      add(list.getInt(i));
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  boolean contains(int page) {
    int word = page >>> 6;
    return word < words.length && (words[word] & (1L << page)) != 0;
  }

  /** Removes and returns the lowest free page. */
  int pollLowest() {
    Checks.checkState(size > 0, "no free page", size);
    int word = lowestWord;
    while (word < words.length && words[word] == 0) {
      word++;
    }
    Checks.checkState(word < words.length, "free page missing", size);
    lowestWord = word;
    int page = (word << 6) + Long.numberOfTrailingZeros(words[word]);
    words[word] &= words[word] - 1; // clears the lowest set bit
    size--;
    return page;
  }

  /** Removes {@code page}, which must be free. */
  void remove(int page) {
    Checks.checkState(contains(page), "page not free", page);
    words[page >>> 6] &= ~(1L << page);
    size--;
  }

  void forEach(IntConsumer action) {
    for (int word = lowestWord; word < words.length; word++) {
      long w = words[word];
      while (w != 0) {
        action.accept((word << 6) + Long.numberOfTrailingZeros(w));
        w &= w - 1;
      }
    }
  }
}
