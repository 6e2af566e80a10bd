package io.veritydb.store;

import io.veritydb.types.CorruptionException;

/**
 * A position among the raw entries (versions) of one immutable tree, with the path from the root so
 * it can step to the neighbouring leaf (a copy-on-write tree has no sibling links). No recursion:
 * the path is an explicit stack bounded by {@link #MAX_HEIGHT}.
 */
final class TreeCursor {
  static final int MAX_HEIGHT = 24;

  /**
   * The error for a descent that goes deeper than {@link #MAX_HEIGHT} (at branch {@code page}, or
   * in the tree of root {@code page}): no tree this store writes is that tall, so a branch on the
   * way refers back up the tree.
   */
  static CorruptionException tooDeep(PageCache cache, int page) {
    return cache.corrupt(
        page,
        "the tree is deeper than " + MAX_HEIGHT + " levels: a branch refers back up the tree");
  }

  private final PageCache cache;
  private final int rootPage;
  private final BranchNode[] branches = new BranchNode[MAX_HEIGHT];
  private final int[] childIndex = new int[MAX_HEIGHT];
  private int depth;
  private LeafNode leaf;
  private int index;

  TreeCursor(PageCache cache, int rootPage) {
    this.cache = cache;
    this.rootPage = rootPage;
  }

  boolean valid() {
    return leaf != null && index >= 0 && index < leaf.count;
  }

  /** A copy of the current key. */
  byte[] key() {
    return leaf.key(index);
  }

  boolean keyEquals(byte[] key) {
    return leaf.keyEquals(index, key);
  }

  int compareKey(byte[] key) {
    return leaf.compareKey(index, key);
  }

  long position() {
    return leaf.position(index);
  }

  byte kind() {
    return leaf.kind(index);
  }

  LeafNode leaf() {
    return leaf;
  }

  int index() {
    return index;
  }

  /** Moves to the first entry at or after (key, position). */
  void seekGe(byte[] key, long position) {
    if (!descend(key, position, false)) {
      return;
    }
    index = leaf.lowerBound(key, position);
    if (index == leaf.count) {
      nextLeaf();
    }
  }

  /** Moves to the last entry strictly before (key, position). */
  void seekLt(byte[] key, long position) {
    if (!descend(key, position, true)) {
      return;
    }
    index = leaf.lowerBound(key, position) - 1;
    if (index < 0) {
      previousLeaf();
    }
  }

  /** Like {@link #seekGe}, searching only the current leaf when the answer must lie in it. */
  void seekGeNear(byte[] key, long position) {
    if (leaf != null
        && leaf.count > 0
        && leaf.compareAt(0, key, position) <= 0
        && leaf.compareAt(leaf.count - 1, key, position) >= 0) {
      index = leaf.lowerBound(key, position);
    } else {
      seekGe(key, position);
    }
  }

  /** Like {@link #seekLt}, searching only the current leaf when the answer must lie in it. */
  void seekLtNear(byte[] key, long position) {
    if (leaf != null
        && leaf.count > 0
        && leaf.compareAt(0, key, position) < 0
        && leaf.compareAt(leaf.count - 1, key, position) >= 0) {
      index = leaf.lowerBound(key, position) - 1;
    } else {
      seekLt(key, position);
    }
  }

  /** Moves to the very last entry. */
  void seekLast() {
    leaf = null;
    if (rootPage == 0) {
      return;
    }
    depth = 0;
    descendEdge(cache.node(rootPage), false);
    index = leaf.count - 1;
    if (index < 0) {
      previousLeaf(); // a purge may leave empty leaves
    }
  }

  void next() {
    index++;
    if (index >= leaf.count) {
      nextLeaf();
    }
  }

  void previous() {
    index--;
    if (index < 0) {
      previousLeaf();
    }
  }

  private boolean descend(byte[] key, long position, boolean before) {
    leaf = null;
    if (rootPage == 0) {
      return false;
    }
    Node node = cache.node(rootPage);
    depth = 0;
    while (node instanceof BranchNode branch) {
      if (depth >= MAX_HEIGHT) {
        throw tooDeep(cache, branch.page);
      }
      int child = before ? branch.childBefore(key, position) : branch.childFor(key, position);
      branches[depth] = branch;
      childIndex[depth] = child;
      depth++;
      node = cache.node(branch.children[child]);
    }
    leaf = (LeafNode) node;
    return true;
  }

  /** From {@code node} down to its leftmost (or rightmost) leaf, pushing the path. */
  private void descendEdge(Node start, boolean leftmost) {
    Node node = start;
    while (node instanceof BranchNode branch) {
      if (depth >= MAX_HEIGHT) {
        throw tooDeep(cache, branch.page);
      }
      int child = leftmost ? 0 : branch.count;
      branches[depth] = branch;
      childIndex[depth] = child;
      depth++;
      node = cache.node(branch.children[child]);
    }
    leaf = (LeafNode) node;
  }

  private void nextLeaf() {
    while (depth > 0) {
      int level = depth - 1;
      if (childIndex[level] < branches[level].count) {
        childIndex[level]++;
        BranchNode branch = branches[level];
        descendEdge(cache.node(branch.children[childIndex[level]]), true);
        index = 0;
        if (leaf.count > 0) {
          return;
        }
      } else {
        depth--;
      }
    }
    leaf = null;
  }

  private void previousLeaf() {
    while (depth > 0) {
      int level = depth - 1;
      if (childIndex[level] > 0) {
        childIndex[level]--;
        BranchNode branch = branches[level];
        descendEdge(cache.node(branch.children[childIndex[level]]), false);
        index = leaf.count - 1;
        if (leaf.count > 0) {
          return;
        }
      } else {
        depth--;
      }
    }
    leaf = null;
  }
}
