package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decoded pages in memory. Dirty pages (written by the writer, not yet on disk) live in a
 * concurrent map until they are flushed; clean pages live in a byte-bounded LRU split into segments
 * so that readers on many threads rarely contend. Readers look in the dirty map first, then the
 * LRU, then the file: the writer moves a page by writing it to disk, then adding it to the LRU,
 * then removing it from the dirty map, so a reader that misses both always finds it on disk.
 */
final class PageCache {
  private static final int SEGMENTS = 16;

  private final PageFile file;
  private final ConcurrentHashMap<Integer, Node> dirty = new ConcurrentHashMap<>();
  private final Segment[] segments = new Segment[SEGMENTS];
  private final int dirtyLimit;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  PageCache(PageFile file, long cacheBytes) {
    Checks.checkArgument(cacheBytes >= 64L * PageLayout.PAGE_SIZE, "cacheBytes", cacheBytes);
    this.file = file;
    long clean = cacheBytes * 3 / 4;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment(clean / SEGMENTS);
    }
    this.dirtyLimit = (int) Math.min(Integer.MAX_VALUE, cacheBytes / 4 / PageLayout.PAGE_SIZE);
  }

  /** The leaf or branch at {@code page}. Any thread. */
  Node node(int page) {
    Node node = cached(page);
    if (node == null) {
      node = file.readNode(page);
      segment(page).put(page, node);
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
      node = file.readOverflow(page);
      segment(page).put(page, node);
    }
    if (!(node instanceof OverflowNode)) {
      throw file.corrupt(page, "expected an overflow page, found a tree page");
    }
    return (OverflowNode) node;
  }

  private Node cached(int page) {
    Node node = dirty.get(page);
    if (node != null) {
      return node;
    }
    node = segment(page).get(page);
    if (node != null) {
      hits.increment();
    } else {
      misses.increment();
    }
    return node;
  }

  /** Adds a page the writer just created. Writer thread. */
  void putDirty(Node node) {
    segment(node.page).remove(node.page);
    dirty.put(node.page, node);
  }

  /** Forgets a page that is free again (no reader can reach it any more). Writer thread. */
  void discard(int page) {
    dirty.remove(page);
    segment(page).remove(page);
  }

  io.veritydb.types.CorruptionException corrupt(int page, String problem) {
    return file.corrupt(page, problem);
  }

  int dirtyPages() {
    return dirty.size();
  }

  boolean overDirtyLimit() {
    return dirty.size() > dirtyLimit;
  }

  /** Writes every dirty page (in page order) and moves it to the clean LRU. Writer thread. */
  void flushDirty(long generation) {
    List<Integer> pages = new ArrayList<>(dirty.keySet());
    Collections.sort(pages);
    for (Integer page : pages) {
      Node node = dirty.get(page);
      node.owner = Node.IMMUTABLE;
      file.write(node, generation);
      segment(page).put(page, node);
      dirty.remove(page);
    }
  }

  long cachedBytes() {
    long total = 0;
    for (Segment segment : segments) {
      total += segment.bytes();
    }
    return total;
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  void clear() {
    dirty.clear();
    for (Segment segment : segments) {
      segment.clear();
    }
  }

  private Segment segment(int page) {
    return segments[(page * 0x9E3779B9) >>> 28];
  }

  /** One LRU segment, bounded in bytes. */
  private static final class Segment {
    private final long budget;
    private final LinkedHashMap<Integer, Node> map = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    Segment(long budget) {
      this.budget = budget;
    }

    synchronized Node get(int page) {
      return map.get(page);
    }

    synchronized void put(int page, Node node) {
      Node old = map.put(page, node);
      if (old != null) {
        bytes -= old.memoryBytes();
      }
      bytes += node.memoryBytes();
      Iterator<Map.Entry<Integer, Node>> it = map.entrySet().iterator();
      while (bytes > budget && it.hasNext()) {
        Map.Entry<Integer, Node> eldest = it.next();
        if (eldest.getKey() == page) {
          continue;
        }
        bytes -= eldest.getValue().memoryBytes();
        it.remove();
      }
    }

    synchronized void remove(int page) {
      Node old = map.remove(page);
      if (old != null) {
        bytes -= old.memoryBytes();
      }
    }

    synchronized long bytes() {
      return bytes;
    }

    synchronized void clear() {
      map.clear();
      bytes = 0;
    }
  }
}
