package io.veritydb.store;

import io.veritydb.store.SuperblockLayout.Superblock;

/**
 * Flushes the store (writes its pages, then a superblock) and remembers the last durable flush.
 * Writer thread only.
 *
 * <ol>
 *   <li>Reclaim what the rules allow; plan the free list (every page free once this flush is
 *       durable) and cut free pages off the end of the file.
 *   <li>Write the dirty pages, then the free-list pages; fsync.
 *   <li>Write the superblock of generation g+1 into slot (g+1) % 2; fsync.
 *   <li>Only now: the durable root is this one, the previous free-list pages and the pages freed
 *       before it become reusable, and the file is truncated to the new page count.
 * </ol>
 */
final class FlushWriter {
  /** Makes reusable what the rules allow; returns how many pages it zeroed (not yet synced). */
  interface Reclaim {
    int run();
  }

  private final PageFile file;
  private final PageCache cache;
  private final SpaceManager space;
  private long generation;
  private long durablePosition;

  /** The root the last durable flush holds (or that was opened). */
  private Root durableRoot;

  FlushWriter(PageFile file, PageCache cache, SpaceManager space, Superblock opened, Root r) {
    this.file = file;
    this.cache = cache;
    this.space = space;
    this.generation = opened.generation();
    this.durablePosition = opened.applied();
    this.durableRoot = r;
    file.newestGeneration(generation + 1);
  }

  long generation() {
    return generation;
  }

  long durablePosition() {
    return durablePosition;
  }

  Root durableRoot() {
    return durableRoot;
  }

  /**
   * Flushes {@code current}, even when nothing changed since the last one; {@code reclaim} makes
   * reusable what the rules allow and returns how many pages it zeroed.
   */
  void write(Root current, Reclaim reclaim) {
    reclaim.run();
    long next = generation + 1;
    SpaceManager.FlushPlan plan = space.planFlush();
    cache.flushDirty(next);
    int[] listPages = plan.listPages();
    Superblocks.writeFreeList(file, listPages, plan.freePages(), next);
    file.sync();
    Superblock superblock =
        new Superblock(
            next,
            current.position(),
            current.page(),
            plan.pageCount(),
            listPages.length == 0 ? 0 : listPages[0],
            listPages.length,
            plan.freePages().length,
            Math.max(0, current.prunedBelow()));
    Superblocks.write(file, superblock);
    file.sync();
    generation = next;
    file.newestGeneration(generation + 1);
    durablePosition = current.position();
    durableRoot = current;
    space.flushDurable(plan);
    if (plan.trimmed() > 0) {
      file.truncate(plan.pageCount()); // free pages at the end: no valid superblock needs them
    }
    if (reclaim.run() > 0) {
      file.sync(); // pages of a purge now durable, with no reader left: zeroed
    }
  }
}
