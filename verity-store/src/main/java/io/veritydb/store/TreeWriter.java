package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.IntArrayList;

/**
 * Applies one batch to the tree by copy-on-write: every page on the path to a changed leaf is
 * copied to a freshly allocated page (unless the current write epoch already copied it), the old
 * page is freed at the apply's position, and splits propagate upwards along an explicit path stack.
 * The result is a new root. A write epoch is the run of applies between two publishes: pages it
 * copied or allocated are owned by it ({@link Node#owner} = the epoch) and changed in place by its
 * later applies; the store starts a new epoch whenever it publishes, so nothing reachable from a
 * published root (or a pinned one) is ever modified. Writer thread only.
 */
final class TreeWriter {
  private final PageCache cache;
  private final SpaceManager space;
  private final TreeReader reader;
  private final BranchNode[] path = new BranchNode[TreeCursor.MAX_HEIGHT];
  private final int[] pathIndex = new int[TreeCursor.MAX_HEIGHT];

  /**
   * Within one {@link #apply}, the leaf the last insert went to while no split or merge has changed
   * the path to it (else null), with the root and depth of that descent: the batch's keys come in
   * order, so the next one usually belongs in the same leaf, found without a descent when it sorts
   * before the separator bounding the leaf on the right ({@code path[boundLevel]}'s separator
   * {@code pathIndex[boundLevel]}; level -1: the rightmost leaf, unbounded).
   */
  private LeafNode lastLeaf;

  private int lastRoot;
  private int lastDepth;
  private int boundLevel;

  /** Versions not visible at any position from here on may be dropped; -1 keeps everything. */
  private long horizon = -1;

  TreeWriter(PageCache cache, SpaceManager space, TreeReader reader) {
    this.cache = cache;
    this.space = space;
    this.reader = reader;
  }

  /** The write epoch of the current apply: the owner of the nodes it may change in place. */
  private long epoch;

  /** Purge number while purging (pages freed go to the purge queue); -1 while applying. */
  private long purge = -1;

  /** Versions removed by the last {@link #purge}. */
  private long purged;

  /**
   * Removes every version of every key in {@code range} from the tree at {@code rootPage}, copying
   * the path to each leaf touched (nodes this purge copied are owned by {@code owner}, which no
   * apply uses). Leaves may become empty: readers skip them, and inserts refill them. Returns the
   * new root (0 when the tree becomes empty); {@link #purged()} tells how many versions went.
   */
  int purge(int rootPage, KeyRange range, long owner, long purgeNumber) {
    this.purge = purgeNumber;
    this.purged = 0;
    try {
      int root = rootPage;
      byte[] from = range.low() == null ? new byte[0] : range.low();
      while (root != 0) {
        TreeCursor cursor = new TreeCursor(cache, root);
        cursor.seekGe(from, Long.MAX_VALUE);
        if (!cursor.valid() || !range.contains(cursor.key())) {
          break;
        }
        byte[] key = cursor.key();
        long position = cursor.position();
        Node node = writable(root, owner, owner);
        root = node.page;
        int depth = 0;
        while (node instanceof BranchNode branch) {
          if (depth >= TreeCursor.MAX_HEIGHT - 1) {
            throw TreeCursor.tooDeep(cache, rootPage);
          }
          int child = branch.childFor(key, position);
          Node next = writable(branch.children[child], owner, owner);
          branch.children[child] = next.page;
          path[depth] = branch;
          pathIndex[depth] = child;
          depth++;
          node = next;
        }
        LeafNode leaf = (LeafNode) node;
        int index = leaf.lowerBound(key, position);
        Checks.checkState(index < leaf.count, "purged entry missing", index);
        while (index < leaf.count && range.contains(leaf.key(index))) {
          dropEntry(leaf, index, owner);
          purged++;
        }
        if (depth > 0 && leaf.packedSize() < PageLayout.BODY_SIZE / 4) {
          root = mergeWithSibling(root, depth, owner, owner);
        }
        from = key; // every entry before (key, position) in range is gone
      }
      if (root != 0) {
        TreeCursor cursor = new TreeCursor(cache, root);
        cursor.seekGe(new byte[0], Long.MAX_VALUE);
        if (!cursor.valid()) {
          releaseTree(root, owner); // only empty leaves left: drop them all
          root = 0;
        }
      }
      return root;
    } finally {
      this.purge = -1;
    }
  }

  /**
   * Merges the underfull leaf at {@code path[depth - 1]}'s child {@code pathIndex[depth - 1]} (the
   * path is owned by {@code owner}) with its right sibling, or its left one when it is the last
   * child, when both fit one page: the separator between them goes, and so does the right page. A
   * branch never drops below one separator, except the root, which then gives way to its only
   * child. Returns the root.
   */
  private int mergeWithSibling(int rootPage, int depth, long owner, long freeEpoch) {
    BranchNode parent = path[depth - 1];
    int index = pathIndex[depth - 1];
    if (depth > 1 && parent.count < 2) {
      return rootPage; // would leave a branch without separators
    }
    int left = index < parent.count ? index : index - 1;
    if (left < 0) {
      return rootPage;
    }
    Node leftNode = cache.node(parent.children[left]);
    Node rightNode = cache.node(parent.children[left + 1]);
    if (!(leftNode instanceof LeafNode a)
        || !(rightNode instanceof LeafNode b)
        || LeafNode.mergedPackedSize(a, b) > PageLayout.BODY_SIZE) {
      return rootPage;
    }
    if (!a.precedes(b)) {
      throw cache.corrupt(
          b.page,
          "its entries do not follow those of its left sibling, page "
              + a.page
              + ", as the branch above says");
    }
    LeafNode into = (LeafNode) writable(parent.children[left], owner, freeEpoch);
    parent.children[left] = into.page;
    LeafNode from = (LeafNode) cache.node(parent.children[left + 1]);
    into.appendAll(from);
    release(from.page, freeEpoch); // the left one's own copy, when it was copied, is already freed
    parent.removeSeparator(left);
    if (depth == 1 && parent.count == 0) {
      release(parent.page, freeEpoch);
      return into.page;
    }
    return rootPage;
  }

  /** Frees every page of the tree at {@code rootPage} (entries are gone: only nodes remain). */
  private void releaseTree(int rootPage, long owner) {
    IntArrayList stack = new IntArrayList();
    stack.addInt(rootPage);
    while (!stack.isEmpty()) {
      int page = stack.popInt();
      if (cache.node(page) instanceof BranchNode branch) {
        for (int i = 0; i <= branch.count; i++) {
          stack.addInt(branch.children[i]);
        }
      }
      release(page, owner);
    }
  }

  long purged() {
    return purged;
  }

  /** Frees {@code page}: at apply position {@code epoch}, or to the purge queue while purging. */
  private void release(int page, long epoch) {
    if (purge >= 0) {
      space.freeByPurge(page, purge);
    } else {
      space.free(page, epoch);
    }
  }

  /** Applies {@code batch} at {@code position} to the tree at {@code rootPage}; the new root. */
  int apply(int rootPage, long position, WriteBatch batch, long horizon, long epoch) {
    Checks.checkArgument(epoch > 0, "epoch", epoch);
    this.horizon = horizon;
    this.epoch = epoch;
    this.lastLeaf = null;
    int root = rootPage;
    for (WriteBatch.Write write : inKeyOrder(batch)) {
      byte[] key = write.key();
      if (write.isDelete()) {
        if (reader.get(root, key, Long.MAX_VALUE) == null) {
          continue; // already absent: a tombstone would change nothing
        }
        root = insert(root, key, position, LeafNode.KIND_TOMBSTONE, new byte[0]);
      } else if (LeafLayout.entrySize(key.length, write.value().length) > LeafLayout.MAX_ENTRY) {
        byte[] ref = writeOverflow(write.value(), position);
        root = insert(root, key, position, LeafNode.KIND_OVERFLOW, ref);
      } else {
        root = insert(root, key, position, LeafNode.KIND_VALUE, write.value());
      }
    }
    return root;
  }

  /**
   * The batch's writes sorted by key (stable: of two writes of one key the later still wins).
   * Inserting in key order walks the tree left to right, so consecutive writes share the copied
   * path, and a batch of new keys (an index build, a bulk load in any order) appends to each leaf,
   * which the ascending-run split turns into full pages.
   */
  private static List<WriteBatch.Write> inKeyOrder(WriteBatch batch) {
    List<WriteBatch.Write> writes = batch.writes();
    if (writes.size() < 2) {
      return writes;
    }
    List<WriteBatch.Write> sorted = new ArrayList<>(writes);
    sorted.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
    return sorted;
  }

  private int insert(int rootPage, byte[] key, long position, byte kind, byte[] value) {
    int root;
    int depth;
    LeafNode leaf;
    if (lastLeaf != null
        && rootPage == lastRoot
        && (boundLevel < 0
            || path[boundLevel].separatorAfter(pathIndex[boundLevel], key, position))) {
      root = rootPage;
      depth = lastDepth;
      leaf = lastLeaf;
    } else {
      Node node;
      if (rootPage == 0) {
        node = LeafNode.empty(space.allocate(), epoch);
        cache.putDirty(node);
      } else {
        node = writable(rootPage, epoch, position);
      }
      root = node.page;
      depth = 0;
      while (node instanceof BranchNode branch) {
        if (depth >= TreeCursor.MAX_HEIGHT - 1) {
          throw TreeCursor.tooDeep(cache, rootPage);
        }
        int child = branch.childFor(key, position);
        path[depth] = branch;
        pathIndex[depth] = child;
        depth++;
        Node next = writable(branch.children[child], epoch, position);
        branch.children[child] = next.page;
        node = next;
      }
      leaf = (LeafNode) node;
      boundLevel = -1;
      for (int level = depth - 1; level >= 0 && boundLevel < 0; level--) {
        if (pathIndex[level] < path[level].count) {
          boundLevel = level; // the deepest level with a separator to the right
        }
      }
      lastRoot = root;
      lastDepth = depth;
    }
    lastLeaf = leaf;
    int index = leaf.lowerBound(key, position);
    boolean ascendingRun = leaf.continuesRun(index);
    if (index < leaf.count && leaf.compareAt(index, key, position) == 0) {
      // The same key twice in one batch: the later write wins.
      if (leaf.kind(index) == LeafNode.KIND_OVERFLOW) {
        freeOverflow(leaf.overflowFirstPage(index), leaf.overflowLength(index), position);
      }
      leaf.replace(index, kind, value);
    } else {
      leaf.insert(index, key, position, kind, value);
    }
    if (horizon >= 0 && prune(leaf, index, key, position) && depth > 0) {
      if (leaf.packedSize() < PageLayout.BODY_SIZE / 4) {
        lastLeaf = null;
        return mergeWithSibling(root, depth, epoch, position); // history retention thinned it
      }
    }
    if (leaf.packedSize() <= PageLayout.BODY_SIZE) {
      return root;
    }
    lastLeaf = null; // the split changes the path
    // Split the leaf, then carry a separator up the path as long as parents overflow.
    int split = Splits.leafSplitIndex(leaf, index, key, ascendingRun);
    LeafNode right = leaf.splitOff(split, space.allocate(), ascendingRun);
    if (ascendingRun && split > index) {
      right.runEnd = 0; // the run's next key sorts after the left page: it goes on here
    }
    Checks.checkState(
        leaf.packedSize() <= PageLayout.BODY_SIZE && right.packedSize() <= PageLayout.BODY_SIZE,
        "leaf split does not fit",
        leaf.packedSize(),
        "right",
        right.packedSize());
    cache.putDirty(right);
    byte[] leftLast = leaf.key(leaf.count - 1);
    byte[] rightFirst = right.key(0);
    byte[] sepKey = Splits.separatorKey(leftLast, rightFirst);
    long sepPosition = Arrays.equals(leftLast, rightFirst) ? right.position(0) : Long.MAX_VALUE;
    int rightPage = right.page;
    for (int level = depth - 1; level >= 0; level--) {
      BranchNode branch = path[level];
      branch.insert(pathIndex[level], sepKey, sepPosition, rightPage);
      if (branch.bytes <= PageLayout.BODY_SIZE) {
        return root;
      }
      int middle = Splits.branchSplitIndex(branch);
      sepKey = branch.keys[middle];
      sepPosition = branch.positions[middle];
      BranchNode rightBranch = branch.splitOff(middle, space.allocate());
      cache.putDirty(rightBranch);
      rightPage = rightBranch.page;
    }
    Checks.checkState(depth < TreeCursor.MAX_HEIGHT - 1, "tree height", depth);
    BranchNode newRoot = new BranchNode(space.allocate(), epoch, 8);
    newRoot.children[0] = root;
    newRoot.insert(0, sepKey, sepPosition, rightPage);
    cache.putDirty(newRoot);
    return newRoot.page;
  }

  /**
   * Drops the versions of {@code key} after {@code index} that no read at or after the horizon can
   * see: of the versions at or before the horizon only the newest is visible there, and even that
   * one goes when it is a tombstone and nothing older can follow in the next leaf. Whether it
   * dropped any.
   */
  private boolean prune(LeafNode leaf, int index, byte[] key, long position) {
    int visible = index + 1;
    while (visible < leaf.count
        && leaf.keyEquals(visible, key)
        && leaf.position(visible) > horizon) {
      visible++;
    }
    if (visible >= leaf.count || !leaf.keyEquals(visible, key)) {
      return false;
    }
    int before = leaf.count;
    while (visible + 1 < leaf.count && leaf.keyEquals(visible + 1, key)) {
      dropEntry(leaf, visible + 1, position);
    }
    boolean lastInLeaf = visible + 1 >= leaf.count;
    if (!lastInLeaf && leaf.kind(visible) == LeafNode.KIND_TOMBSTONE) {
      leaf.remove(visible);
    }
    return leaf.count < before;
  }

  private void dropEntry(LeafNode leaf, int i, long position) {
    if (leaf.kind(i) == LeafNode.KIND_OVERFLOW) {
      freeOverflow(leaf.overflowFirstPage(i), leaf.overflowLength(i), position);
    }
    leaf.remove(i);
  }

  /**
   * The node at {@code page}, copied to a new page owned by {@code owner} unless {@code owner}
   * already owns it; the old page is freed at {@code freeEpoch}.
   */
  private Node writable(int page, long owner, long freeEpoch) {
    Node node = cache.node(page);
    if (node.owner == owner) {
      Checks.checkState(node.dirty, "owned page not dirty", page);
      return node;
    }
    Node copy =
        node instanceof LeafNode leaf
            ? leaf.copyTo(space.allocate(), owner)
            : ((BranchNode) node).copyTo(space.allocate(), owner);
    cache.putDirty(copy);
    release(page, freeEpoch);
    return copy;
  }

  private byte[] writeOverflow(byte[] value, long position) {
    int pages = TreeReader.overflowPageCount(value.length);
    int[] numbers = new int[pages];
    for (int i = 0; i < pages; i++) {
      numbers[i] = space.allocate();
    }
    for (int i = 0; i < pages; i++) {
      int from = i * OverflowLayout.CAPACITY;
      int to = Math.min(value.length, from + OverflowLayout.CAPACITY);
      int next = i + 1 < pages ? numbers[i + 1] : 0;
      cache.putDirty(new OverflowNode(numbers[i], Arrays.copyOfRange(value, from, to), next));
    }
    Checks.checkState(position > 0, "position", position);
    return TreeReader.overflowRef(numbers[0], value.length);
  }

  private void freeOverflow(int firstPage, int length, long position) {
    int page = firstPage;
    int pages = TreeReader.overflowPageCount(length);
    for (int i = 0; i < pages && page != 0; i++) {
      int next = cache.overflow(page).next;
      release(page, position);
      page = next;
    }
  }
}
