package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.ArrayDeque;

/**
 * Moves the live pages at the end of the file into free pages nearer its start, so that the end of
 * the file becomes free and a flush can cut it off ({@link SpaceManager#trimTail}). Copy-on- write
 * like an apply: a node at or above the limit, or whose child moved, is copied to a newly allocated
 * (lowest free) page; an overflow chain with a page at or above the limit is copied whole. Old
 * pages are freed like a purge's (reusable once a flush after this is durable), as the position
 * does not advance. Used when the store closes with no reader left. Writer only.
 */
final class Compactor {
  private final PageCache cache;
  private final SpaceManager space;

  /** Pages moved by the last {@link #relocate}. */
  private int moved;

  Compactor(PageCache cache, SpaceManager space) {
    this.cache = cache;
    this.space = space;
  }

  int moved() {
    return moved;
  }

  /** One node on the way down: its next child to visit and, once a child moved, its copy. */
  private static final class Frame {
    final Node node;
    int nextChild;
    BranchNode copy;

    Frame(Node node) {
      this.node = node;
    }
  }

  /**
   * Relocates every page at or above {@code limit} reachable from {@code rootPage}; returns the new
   * root page. New nodes are owned by {@code owner}; old pages go to the purge queue at {@code
   * purgeNumber}.
   */
  int relocate(int rootPage, int limit, long owner, long purgeNumber) {
    moved = 0;
    if (rootPage == 0) {
      return 0;
    }
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(cache.node(rootPage)));
    int result = rootPage;
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      if (stack.size() > TreeCursor.MAX_HEIGHT) {
        throw TreeCursor.tooDeep(cache, frame.node.page);
      }
      int newPage;
      if (frame.node instanceof BranchNode branch) {
        if (frame.nextChild <= branch.count) {
          stack.push(new Frame(cache.node(branch.children[frame.nextChild++])));
          continue;
        }
        newPage = finishBranch(frame, branch, limit, owner, purgeNumber);
      } else {
        newPage = relocateLeaf((LeafNode) frame.node, limit, owner, purgeNumber);
      }
      stack.pop();
      Frame parent = stack.peek();
      if (parent == null) {
        result = newPage;
      } else if (newPage != frame.node.page) {
        BranchNode parentBranch = (BranchNode) parent.node;
        if (parent.copy == null) {
          parent.copy = parentBranch.copyTo(space.allocate(), owner);
          cache.putDirty(parent.copy);
        }
        parent.copy.children[parent.nextChild - 1] = newPage;
      }
    }
    return result;
  }

  private int finishBranch(Frame frame, BranchNode branch, int limit, long owner, long purge) {
    if (frame.copy == null && branch.page < limit) {
      return branch.page;
    }
    if (frame.copy == null) {
      frame.copy = branch.copyTo(space.allocate(), owner);
      cache.putDirty(frame.copy);
    }
    space.freeByRelocation(branch.page, purge);
    moved++;
    return frame.copy.page;
  }

  private int relocateLeaf(LeafNode leaf, int limit, long owner, long purge) {
    boolean overflowMoves = false;
    for (int i = 0; i < leaf.count && !overflowMoves; i++) {
      overflowMoves = leaf.kind(i) == LeafNode.KIND_OVERFLOW && chainReaches(leaf, i, limit);
    }
    if (leaf.page < limit && !overflowMoves) {
      return leaf.page;
    }
    LeafNode copy = leaf.copyTo(space.allocate(), owner);
    cache.putDirty(copy);
    for (int i = 0; i < copy.count; i++) {
      if (copy.kind(i) == LeafNode.KIND_OVERFLOW && chainReaches(copy, i, limit)) {
        copy.replace(i, LeafNode.KIND_OVERFLOW, copyChain(copy, i, purge));
      }
    }
    space.freeByRelocation(leaf.page, purge);
    moved++;
    return copy.page;
  }

  private boolean chainReaches(LeafNode leaf, int i, int limit) {
    int page = leaf.overflowFirstPage(i);
    int pages = TreeReader.overflowPageCount(leaf.overflowLength(i));
    for (int n = 0; n < pages && page != 0; n++) {
      if (page >= limit) {
        return true;
      }
      page = cache.overflow(page).next;
    }
    return false;
  }

  /** Copies entry i's overflow chain to new pages, frees the old ones; the new reference. */
  private byte[] copyChain(LeafNode leaf, int i, long purge) {
    int length = leaf.overflowLength(i);
    int pages = TreeReader.overflowPageCount(length);
    int[] old = new int[pages];
    int[] fresh = new int[pages];
    int page = leaf.overflowFirstPage(i);
    for (int n = 0; n < pages; n++) {
      Checks.checkState(page != 0, "overflow chain shorter than its length", length);
      old[n] = page;
      fresh[n] = space.allocate();
      page = cache.overflow(page).next;
    }
    for (int n = 0; n < pages; n++) {
      byte[] data = cache.overflow(old[n]).data;
      cache.putDirty(new OverflowNode(fresh[n], data, n + 1 < pages ? fresh[n + 1] : 0));
      space.freeByRelocation(old[n], purge);
      moved++;
    }
    return TreeReader.overflowRef(fresh[0], length);
  }
}
