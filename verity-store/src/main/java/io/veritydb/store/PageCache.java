package io.veritydb.store;

import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

/**
 * Decoded pages in memory, in one slot per page number of the file (4 bytes per page of the file: a
 * 4 GiB file costs 4 MiB of slots). A lookup is one array read: no lock, no boxing.
 *
 * <p>A slot holds either a dirty page (applied, not yet written; the cache never drops it) or a
 * clean one. Clean pages are bounded in bytes by a CLOCK sweep: a read sets the page's {@code
 * referenced} bit, the hand clears it, and drops pages whose bit is already clear. The writer marks
 * a page clean only after writing it, so a reader that finds a slot empty always finds the page on
 * disk. Pages reachable by a reader are never reused (see {@link SpaceManager}), so a reader never
 * finds another page's contents in a slot.
 */
final class PageCache {
  private final PageFile file;
  private final long cacheBytes;
  private final int dirtyLimit;

  /** {@link #dirtyPages}' size, readable by readers (which evict). */
  private volatile int dirtyCount;

  private volatile AtomicReferenceArray<Node> slots;
  private final AtomicLong cleanBytes = new AtomicLong();
  private final AtomicInteger hand = new AtomicInteger();
  private final LongAdder reads = new LongAdder();

  /** Pages holding dirty nodes. Writer only. */
  private final IntHashSet dirtyPages = new IntHashSet();

  /**
   * Dirty leaf and overflow pages not yet written, in the order created, for {@link #writeSettled}
   * (only kept while {@link #trackSettled}). Writer only.
   */
  private final IntArrayList settling = new IntArrayList();

  private boolean trackSettled;

  PageCache(PageFile file, long cacheBytes, int initialPages) {
    Checks.checkArgument(cacheBytes >= 64L * PageLayout.PAGE_SIZE, "cacheBytes", cacheBytes);
    this.file = file;
    this.cacheBytes = cacheBytes;
    this.dirtyLimit = (int) Math.min(Integer.MAX_VALUE, cacheBytes / 4 / PageLayout.PAGE_SIZE);
    this.slots = new AtomicReferenceArray<>(Math.max(1024, initialPages + initialPages / 4));
  }

  /** The leaf or branch at {@code page}. Any thread. */
  Node node(int page) {
    Node node = cached(page);
    if (node == null) {
      node = load(page, file.readNode(page));
    }
    if (node instanceof OverflowNode) {
      throw file.corrupt(page, "expected a tree page, found an overflow page");
    }
    return node;
  }

  /** The overflow page at {@code page}. Any thread. */
  OverflowNode overflow(int page) {
    Node node = cached(page);
    if (node == null) {
      node = load(page, file.readOverflow(page));
    }
    if (!(node instanceof OverflowNode)) {
      throw file.corrupt(page, "expected an overflow page, found a tree page");
    }
    return (OverflowNode) node;
  }

  private Node cached(int page) {
    AtomicReferenceArray<Node> s = slots;
    if (page < 0 || page >= s.length()) {
      return null;
    }
    Node node = s.get(page);
    if (node != null) {
      node.referenced = true;
    }
    return node;
  }

  private Node load(int page, Node loaded) {
    reads.increment();
    AtomicReferenceArray<Node> s = slots;
    if (page >= s.length()) {
      return loaded; // a page beyond the slots is not cached (the file grew meanwhile)
    }
    if (!s.compareAndSet(page, null, loaded)) {
      Node other = s.get(page);
      return other != null ? other : loaded;
    }
    loaded.referenced = true;
    if (cleanBytes.addAndGet(loaded.memoryBytes()) > cleanBudget()) {
      evict();
    }
    return loaded;
  }

  /**
   * Bytes clean pages may hold: the cache size less a page per dirty page, so a cache that holds
   * few dirty pages (reads, or applies between flushes) gives the room to clean ones. Dirty pages
   * are bounded to a quarter of the cache ({@link #overDirtyLimit}), so clean ones always get at
   * least three quarters.
   */
  long cleanBudget() {
    return cacheBytes - (long) Math.min(dirtyCount, dirtyLimit) * PageLayout.PAGE_SIZE;
  }

  /** Sweeps the clock hand until clean pages fit the budget (bounded by two turns). */
  private void evict() {
    AtomicReferenceArray<Node> s = slots;
    int length = s.length();
    long budget = cleanBudget();
    for (int scanned = 0; scanned < 2 * length && cleanBytes.get() > budget; scanned++) {
      int i = Math.floorMod(hand.getAndIncrement(), length);
      Node node = s.get(i);
      if (node == null || node.dirty) {
        continue;
      }
      if (node.referenced) {
        node.referenced = false;
      } else if (s.compareAndSet(i, node, null)) {
        cleanBytes.addAndGet(-node.memoryBytes());
      }
    }
  }

  /** Adds a page the writer just created. Writer thread. */
  void putDirty(Node node) {
    ensureSlot(node.page);
    node.dirty = true;
    Node old = slots.getAndSet(node.page, node);
    if (old != null && !old.dirty) {
      cleanBytes.addAndGet(-old.memoryBytes());
    }
    dirtyPages.add(node.page);
    dirtyCount = dirtyPages.size();
    if (trackSettled && !(node instanceof BranchNode)) {
      settling.addInt(node.page);
    }
  }

  /** Keep the list {@link #writeSettled} works from. */
  void trackSettled() {
    trackSettled = true;
  }

  /**
   * Writes the dirty leaves and overflow pages that no apply will change again (owned by a write
   * epoch other than {@code currentEpoch}, which has ended) and marks them clean; returns how many.
   * They are fresh pages, so writing them before the flush is safe (as {@link #flushDirty} early).
   * Branches are left to the flush: nearly every apply copies them again. Writer thread.
   */
  int writeSettled(long currentEpoch, long generation) {
    AtomicReferenceArray<Node> s = slots;
    int kept = 0;
    int written = 0;
    for (int i = 0; i < settling.size(); i++) {
      int page = settling.getInt(i);
      Node node = page < s.length() ? s.get(page) : null;
      if (node == null || !node.dirty || node instanceof BranchNode) {
        continue; // freed since, written already, or the page now holds a branch
      }
      if (node.owner == currentEpoch) {
        settling.setInt(kept++, page); // the epoch may still change it
        continue;
      }
      node.owner = Node.IMMUTABLE;
      file.write(node, generation);
      node.dirty = false;
      dirtyPages.remove(page);
      cleanBytes.addAndGet(node.memoryBytes());
      written++;
    }
    while (settling.size() > kept) {
      settling.removeAt(settling.size() - 1);
    }
    dirtyCount = dirtyPages.size();
    if (written > 0 && cleanBytes.get() > cleanBudget()) {
      evict();
    }
    return written;
  }

  /** Forgets a page that is free again (no reader can reach it any more). Writer thread. */
  void discard(int page) {
    AtomicReferenceArray<Node> s = slots;
    if (page < s.length()) {
      Node old = s.getAndSet(page, null);
      if (old != null && !old.dirty) {
        cleanBytes.addAndGet(-old.memoryBytes());
      }
    }
    dirtyPages.remove(page);
    dirtyCount = dirtyPages.size();
  }

  private void ensureSlot(int page) {
    AtomicReferenceArray<Node> s = slots;
    if (page < s.length()) {
      return;
    }
    int length = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(page + 1L, s.length() * 2L));
    AtomicReferenceArray<Node> grown = new AtomicReferenceArray<>(length);
    long clean = 0;
    for (int i = 0; i < s.length(); i++) {
      Node node = s.get(i);
      if (node != null) {
        grown.set(i, node);
        clean += node.dirty ? 0 : node.memoryBytes();
      }
    }
    slots = grown;
    // Readers may have cached into the old array meanwhile; recount what the new one holds.
    cleanBytes.set(clean);
  }

  CorruptionException corrupt(int page, String problem) {
    return file.corrupt(page, problem);
  }

  int dirtyPages() {
    return dirtyPages.size();
  }

  boolean overDirtyLimit() {
    return dirtyPages.size() > dirtyLimit;
  }

  /** Writes every dirty page (in page order) and marks it clean. Writer thread. */
  void flushDirty(long generation) {
    IntArrayList pages = new IntArrayList(dirtyPages.size(), Integer.MIN_VALUE);
    IntHashSet.IntIterator it = dirtyPages.iterator();
    while (it.hasNext()) {
      pages.addInt(it.nextValue());
    }
    pages.sort(null);
    AtomicReferenceArray<Node> s = slots;
    for (int i = 0; i < pages.size(); i++) {
      int page = pages.getInt(i);
      Node node = s.get(page);
      Checks.checkState(node != null && node.dirty, "dirty page missing", page);
      node.owner = Node.IMMUTABLE;
      file.write(node, generation);
      node.dirty = false;
      cleanBytes.addAndGet(node.memoryBytes());
    }
    dirtyPages.clear();
    dirtyCount = 0;
    settling.clear();
    if (cleanBytes.get() > cleanBudget()) {
      evict();
    }
  }

  long cachedBytes() {
    return cleanBytes.get();
  }

  /** Pages read from the file since open. */
  long pageReads() {
    return reads.sum();
  }

  void clear() {
    slots = new AtomicReferenceArray<>(1);
    dirtyPages.clear();
    dirtyCount = 0;
    settling.clear();
    cleanBytes.set(0);
  }
}
