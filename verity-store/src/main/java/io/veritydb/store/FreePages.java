package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.function.IntConsumer;
import org.agrona.collections.IntArrayList;

/**
 * The pages free for reuse right now, handed out lowest page first: live pages then gather at the
 * start of the file and free ones at its end, where a flush can cut them off ({@link
 * SpaceManager#planFlush}). One bit per page of the file in a plain word array (not {@link
 * java.util.BitSet}, whose clear of the highest bit rescans the set: {@link PageBits}); a hint
 * keeps the search for the lowest page from rescanning the pages below it. Writer thread only.
 */
final class FreePages {
  private final PageBits bits = new PageBits();
  private int size;

  /** No page below this one is free. */
  private int lowest;

  void add(int page) {
    Checks.checkArgument(page >= SuperblockLayout.FIRST_DATA_PAGE, "free page", page);
    Checks.checkState(!bits.get(page), "page freed twice", page);
    bits.set(page);
    size++;
    lowest = Math.min(lowest, page);
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
    return bits.get(page);
  }

  /** Removes and returns the lowest free page. */
  int pollLowest() {
    Checks.checkState(size > 0, "no free page", size);
    int page = bits.nextSetBit(lowest);
    Checks.checkState(page >= 0, "free page missing", size);
    bits.clear(page);
    lowest = page + 1;
    size--;
    return page;
  }

  /** Removes {@code page}, which must be free. */
  void remove(int page) {
    Checks.checkState(contains(page), "page not free", page);
    bits.clear(page);
    size--;
  }

  void forEach(IntConsumer action) {
    for (int page = bits.nextSetBit(lowest); page >= 0; page = bits.nextSetBit(page + 1)) {
      action.accept(page);
    }
  }
}
