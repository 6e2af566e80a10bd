package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.function.IntConsumer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * Which pages are free. Writer thread only.
 *
 * <p>A page freed by the apply at position E (the new root no longer reaches it) may be reused once
 * (a) no reader holds a root older than E, and (b) if the page belongs to the last durable flush, a
 * flush at or after E is durable: the durable superblock must never lose a page it references.
 * Pages allocated since the last flush ("fresh") only need (a).
 */
final class SpaceManager {
  private int nextPage;
  private final FreePages reusable = new FreePages();
  private final Pending freshFreed = new Pending();
  private final Pending durableFreed = new Pending();
  private final PageBits fresh = new PageBits();

  /** Pages freed by a purge, by purge number: see {@link #freeByPurge}. */
  private final Pending purgeFreed = new Pending();

  /** Free or pending pages that may hold purged bytes: zeroed before they are reused. */
  private final PageBits zeroBeforeReuse = new PageBits();

  /** Reusable pages already overwritten with zeros (so a second purge need not zero them again). */
  private final PageBits zeroed = new PageBits();

  /** The pages holding the free list of the last durable superblock. */
  private IntArrayList freeListPages = new IntArrayList();

  SpaceManager(int nextPage, int[] freePages, int[] freeListPages) {
    Checks.checkArgument(nextPage >= SuperblockLayout.FIRST_DATA_PAGE, "nextPage", nextPage);
    this.nextPage = nextPage;
    for (int page : freePages) {
      reusable.add(page);
    }
    for (int page : freeListPages) {
      this.freeListPages.addInt(page);
    }
  }

  int allocate() {
    int page = reusable.isEmpty() ? nextPage++ : reusable.pollLowest();
    Checks.checkState(page >= SuperblockLayout.FIRST_DATA_PAGE, "allocated", page);
    zeroed.clear(page);
    Checks.checkState(nextPage > 0, "page count overflow", nextPage);
    fresh.set(page);
    return page;
  }

  void free(int page, long epoch) {
    Checks.checkArgument(page >= SuperblockLayout.FIRST_DATA_PAGE && page < nextPage, "page", page);
    if (fresh.get(page)) {
      fresh.clear(page);
      freshFreed.add(epoch, page);
    } else {
      durableFreed.add(epoch, page);
    }
  }

  /**
   * Frees {@code page}, no longer reachable after purge number {@code purge}: reusable once no
   * reader holds a root from before that purge and a flush made after it is durable (the position
   * does not advance with a purge, so the position rules cannot tell). It is zeroed before reuse.
   */
  void freeByPurge(int page, long purge) {
    Checks.checkArgument(page >= SuperblockLayout.FIRST_DATA_PAGE && page < nextPage, "page", page);
    fresh.clear(page);
    purgeFreed.add(purge, page);
    zeroBeforeReuse.set(page);
  }

  /**
   * Frees {@code page}, which a compaction moved ({@link Compactor}): like a purge's page (the
   * position does not advance), but its bytes need no zeroing.
   */
  void freeByRelocation(int page, long purge) {
    Checks.checkArgument(page >= SuperblockLayout.FIRST_DATA_PAGE && page < nextPage, "page", page);
    fresh.clear(page);
    purgeFreed.add(purge, page);
  }

  /**
   * The lowest page L such that moving every live page at or above L (at most {@code budget} of
   * them) into free pages below L leaves room to spare ({@code live / 16 + 16} pages for the
   * branches above the moved pages and the free list), or -1 when that would not free at least a
   * sixteenth of the file. Call with nothing pending (all free pages reusable).
   */
  int compactionLimit(int budget) {
    int totalFree = reusable.size();
    int live = 0;
    int freeAbove = 0;
    int best = -1;
    for (int t = nextPage - 1; t >= SuperblockLayout.FIRST_DATA_PAGE; t--) {
      if (reusable.contains(t)) {
        freeAbove++;
      } else if (++live > budget) {
        break;
      }
      if (totalFree - freeAbove >= live + live / 16 + 16) {
        best = t;
      }
    }
    return best >= 0 && nextPage - best >= Math.max(16, nextPage / 16) ? best : -1;
  }

  /**
   * A purge starts: every page already waiting to be reused may hold bytes of the purged entries,
   * so it is marked to be zeroed when it becomes reusable. Returns the pages reusable right now
   * (safe to overwrite: no reader, no durable superblock reaches them) and not zeroed yet, which
   * the caller zeroes.
   */
  int[] markForZeroing() {
    freshFreed.forEach(zeroBeforeReuse::set);
    durableFreed.forEach(zeroBeforeReuse::set);
    purgeFreed.forEach(zeroBeforeReuse::set);
    IntArrayList now = new IntArrayList();
    reusable.forEach(
        page -> {
          if (!zeroed.get(page)) {
            zeroed.set(page);
            now.addInt(page);
          }
        });
    return now.toIntArray();
  }

  /**
   * Makes reusable every pending page freed at or before {@code oldestReader} (and, for pages of
   * the durable flush, at or before {@code durable}), and every page freed by a purge at or before
   * both {@code oldestPurgeReader} and {@code durablePurges}; {@code onReclaim} sees each, and
   * {@code zero} each that must be zeroed first. Returns how many were zeroed.
   */
  int reclaim(
      long oldestReader,
      long durable,
      long oldestPurgeReader,
      long durablePurges,
      IntConsumer onReclaim,
      IntConsumer zero) {
    int[] count = new int[1];
    IntConsumer each =
        page -> {
          onReclaim.accept(page);
          if (zeroBeforeReuse.get(page)) {
            zero.accept(page);
            zeroBeforeReuse.clear(page);
            zeroed.set(page);
            count[0]++;
          }
        };
    freshFreed.drain(oldestReader, reusable, each);
    durableFreed.drain(Math.min(oldestReader, durable), reusable, each);
    purgeFreed.drain(Math.min(oldestPurgeReader, durablePurges), reusable, each);
    return count[0];
  }

  int pageCount() {
    return nextPage;
  }

  int reusableCount() {
    return reusable.size();
  }

  int pendingCount() {
    return freshFreed.size() + durableFreed.size() + purgeFreed.size();
  }

  /**
   * Plans the free list of the next flush: every page that will be free once it is durable, and the
   * pages to hold that list, taken from pages safe to overwrite now.
   */
  FlushPlan planFlush() {
    int trimmed = trimTail();
    int total =
        reusable.size()
            + freshFreed.size()
            + durableFreed.size()
            + purgeFreed.size()
            + freeListPages.size();
    int listPageCount = (total + FreeListLayout.CAPACITY - 1) / FreeListLayout.CAPACITY;
    int[] listPages = new int[listPageCount];
    for (int i = 0; i < listPageCount; i++) {
      listPages[i] = reusable.isEmpty() ? nextPage++ : reusable.pollLowest();
      zeroed.clear(listPages[i]);
    }
    IntArrayList free = new IntArrayList(total, Integer.MIN_VALUE);
    reusable.forEach(free::addInt);
    freshFreed.copyTo(free);
    durableFreed.copyTo(free);
    purgeFreed.copyTo(free);
    free.addAll(freeListPages);
    Checks.checkState(
        free.size() <= (long) listPageCount * FreeListLayout.CAPACITY, "free", free.size());
    return new FlushPlan(listPages, free.toIntArray(), nextPage, trimmed);
  }

  /**
   * Gives back the free pages at the end of the file: the page count drops below them, and the
   * caller truncates the file once the flush recording the smaller count is durable (no valid
   * superblock then references them: a reusable page is in no durable tree). Returns how many.
   */
  private int trimTail() {
    int trimmed = 0;
    while (nextPage > SuperblockLayout.FIRST_DATA_PAGE && reusable.contains(nextPage - 1)) {
      int page = --nextPage;
      reusable.remove(page);
      zeroed.clear(page);
      zeroBeforeReuse.clear(page);
      fresh.clear(page);
      trimmed++;
    }
    return trimmed;
  }

  /** The flush planned by {@code plan} is durable. */
  void flushDurable(FlushPlan plan) {
    reusable.addAll(freeListPages);
    freeListPages = new IntArrayList();
    for (int page : plan.listPages()) {
      freeListPages.addInt(page);
    }
    fresh.clearAll();
  }

  /** A planned free list: where it goes, what it holds, the page count after it. */
  static final class FlushPlan {
    private final int[] listPages;
    private final int[] freePages;
    private final int pageCount;
    private final int trimmed;

    FlushPlan(int[] listPages, int[] freePages, int pageCount, int trimmed) {
      this.listPages = listPages;
      this.freePages = freePages;
      this.pageCount = pageCount;
      this.trimmed = trimmed;
    }

    /** Free pages cut off the end of the file by this flush. */
    int trimmed() {
      return trimmed;
    }

    int[] listPages() {
      return listPages;
    }

    int[] freePages() {
      return freePages;
    }

    int pageCount() {
      return pageCount;
    }
  }

  /** Pages waiting to be reused, in the order freed (epochs never decrease). */
  private static final class Pending {
    private final LongArrayList epochs = new LongArrayList();
    private final IntArrayList pages = new IntArrayList();
    private int head;

    void add(long epoch, int page) {
      Checks.checkState(
          epochs.size() == head || epochs.getLong(epochs.size() - 1) <= epoch, "epoch", epoch);
      epochs.addLong(epoch);
      pages.addInt(page);
    }

    void drain(long upTo, FreePages into, IntConsumer onReclaim) {
      while (head < epochs.size() && epochs.getLong(head) <= upTo) {
        int page = pages.getInt(head);
        onReclaim.accept(page);
        into.add(page);
        head++;
      }
      if (head == epochs.size()) {
        epochs.clear();
        pages.clear();
        head = 0;
      } else if (head > 4096 && head > epochs.size() / 2) {
        LongArrayList keptEpochs = new LongArrayList();
        IntArrayList keptPages = new IntArrayList();
        for (int i = head; i < epochs.size(); i++) {
          keptEpochs.addLong(epochs.getLong(i));
          keptPages.addInt(pages.getInt(i));
        }
        epochs.clear();
        pages.clear();
        epochs.addAll(keptEpochs);
        pages.addAll(keptPages);
        head = 0;
      }
    }

    int size() {
      return epochs.size() - head;
    }

    void forEach(IntConsumer action) {
      for (int i = head; i < pages.size(); i++) {
        action.accept(pages.getInt(i));
      }
    }

    void copyTo(IntArrayList into) {
      for (int i = head; i < pages.size(); i++) {
        into.addInt(pages.getInt(i));
      }
    }
  }
}
