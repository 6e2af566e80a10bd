package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.BitSet;
import java.util.function.IntConsumer;
import org.agrona.collections.IntArrayList;

/**
 * The pages free for reuse right now, handed out lowest page first: live pages then gather at the
 * start of the file and free ones at its end, where a checkpoint can cut them off ({@link
 * SpaceManager#trimTail}). One bit per page of the file. Writer thread only.
 */
final class FreePages {
  private final BitSet pages = new BitSet();
  private int size;

  /** No page below this one is free. */
  private int lowest = Integer.MAX_VALUE;

  void add(int page) {
    Checks.checkArgument(page >= SuperblockLayout.FIRST_DATA_PAGE, "free page", page);
    Checks.checkState(!pages.get(page), "page freed twice", page);
    pages.set(page);
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
    return pages.get(page);
  }

  /** Removes and returns the lowest free page. */
  int pollLowest() {
    Checks.checkState(size > 0, "no free page", size);
    int page = pages.nextSetBit(lowest == Integer.MAX_VALUE ? 0 : lowest);
    Checks.checkState(page >= 0, "free page missing", size);
    pages.clear(page);
    size--;
    lowest = size == 0 ? Integer.MAX_VALUE : page + 1;
    return page;
  }

  /** Removes {@code page}, which must be free. */
  void remove(int page) {
    Checks.checkState(pages.get(page), "page not free", page);
    pages.clear(page);
    size--;
  }

  /** The highest free page, or -1 when none. */
  int highest() {
    return pages.length() - 1;
  }

  /** How many free pages are below {@code page}. */
  int countBelow(int page) {
    return pages.get(0, Math.max(0, page)).cardinality();
  }

  void forEach(IntConsumer action) {
    for (int p = pages.nextSetBit(0); p >= 0; p = pages.nextSetBit(p + 1)) {
      action.accept(p);
    }
  }
}
