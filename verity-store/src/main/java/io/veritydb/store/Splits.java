package io.veritydb.store;

import java.util.Arrays;

/** Where {@link TreeWriter} splits an overfull node, and the separator it carries up. */
final class Splits {
  private Splits() {}

  /**
   * Where to split an overfull leaf after inserting at {@code inserted} (sizes in the packed page
   * form). In an ascending run ({@link LeafNode#continuesRun}) split just after the new key's
   * versions, or, when the left part would not fit or nothing follows, just before the new entry:
   * the run goes on in the right page and leaves full pages behind. Versions of a key arrive
   * newest-first at the front of its run, so the older versions right after the new entry never
   * receive inserts again: when they fill at least half a page, split just after the new entry so
   * that they fill a page of their own, instead of leaving two half-empty pages behind. Else split
   * by bytes in the middle.
   */
  static int leafSplitIndex(LeafNode leaf, int inserted, byte[] key, boolean ascendingRun) {
    if (ascendingRun) {
      int runEnd = inserted + 1;
      while (runEnd < leaf.count && leaf.keyEquals(runEnd, key)) {
        runEnd++;
      }
      // A run of updates (the key had versions already) that overflows a leaf it has not filled
      // yet (a leaf left with slack) would leave a small page behind: the run goes on through the
      // older entries after it, so split that leaf in the middle instead, as when it was full.
      boolean update = runEnd > inserted + 1;
      if (!update || leaf.packedSize(0, runEnd) >= PageLayout.BODY_SIZE / 2) {
        int filled = runFillSplit(leaf, runEnd);
        if (filled > 0) {
          return filled;
        }
        if (fitsSplitAt(leaf, runEnd)) {
          return runEnd;
        }
        if (fitsSplitAt(leaf, inserted)) {
          return inserted;
        }
      }
    }
    int after = inserted + 1;
    int olderVersions = 0;
    for (int i = after; i < leaf.count && leaf.keyEquals(i, key); i++) {
      olderVersions += leaf.packedEntrySize(i);
    }
    if (olderVersions >= PageLayout.BODY_SIZE / 2 && fitsSplitAt(leaf, after)) {
      return after;
    }
    int middle = leafMiddle(leaf);
    if (fitsSplitAt(leaf, middle)) {
      return middle;
    }
    // A key inserted at either end of the leaf can shorten the prefix all its entries shared, and
    // the leaf then needs far more than a page (every entry pays the bytes no longer shared): the
    // split that fits is next to the new key, away from the middle. Search outwards for it.
    for (int d = 1; d < leaf.count; d++) {
      if (fitsSplitAt(leaf, middle - d)) {
        return middle - d;
      }
      if (fitsSplitAt(leaf, middle + d)) {
        return middle + d;
      }
    }
    return middle; // none fits: the check after the split names the sizes
  }

  /**
   * Body bytes an ascending run leaves in each page behind it: 15/16 of the page. Every later
   * update of a row adds a version next to it, in its leaf; a page left completely full splits at
   * the first such update (two pages rewritten instead of one, and a half-empty page), while the
   * slack takes the first few versions (two 100-byte rows, five or six 36-byte rows) without a
   * split. The same rule B-trees such as InnoDB apply to sequential inserts.
   */
  static final int RUN_FILL = PageLayout.BODY_SIZE - PageLayout.BODY_SIZE / 16;

  /**
   * The split of an ascending run that leaves the left page at most {@link #RUN_FILL} full: the
   * largest key boundary at or before {@code runEnd} (no key's versions straddle it) whose left
   * part fits that, when the right part fits a page; 0 when there is none.
   */
  private static int runFillSplit(LeafNode leaf, int runEnd) {
    int start = Math.min(runEnd, leaf.count - 1);
    // The packed size of [0, at) as at moves back, without summing the entries again for each at
    // (that made the split quadratic in the entries of a leaf: a quarter of a bulk insert's time).
    int entries = leaf.packedEntrySum();
    for (int i = start; i < leaf.count; i++) {
      entries -= leaf.packedEntrySize(i);
    }
    for (int at = start; at > 0; at--) {
      int prefix = leaf.commonPrefix(0, at);
      int left = PackedLeafLayout.HEADER + prefix + entries - at * prefix;
      entries -= leaf.packedEntrySize(at - 1);
      if (left > RUN_FILL || sameKey(leaf, at - 1, at)) {
        continue;
      }
      return leaf.packedSize(at, leaf.count) <= PageLayout.BODY_SIZE ? at : 0;
    }
    return 0;
  }

  private static boolean sameKey(LeafNode leaf, int i, int j) {
    return leaf.keyLength(i) == leaf.keyLength(j) && leaf.compareEntryKeys(i, j) == 0;
  }

  private static boolean fitsSplitAt(LeafNode leaf, int at) {
    return at > 0
        && at < leaf.count
        && leaf.packedSize(0, at) <= PageLayout.BODY_SIZE
        && leaf.packedSize(at, leaf.count) <= PageLayout.BODY_SIZE;
  }

  /**
   * The index splitting the leaf's packed bytes in half (each entry counted without the prefix all
   * entries share; each half shares at least that prefix, so each half fits a page).
   */
  private static int leafMiddle(LeafNode leaf) {
    int prefix = leaf.commonPrefix(0, leaf.count);
    int total = 0;
    for (int i = 0; i < leaf.count; i++) {
      total += leaf.packedEntrySize(i) - prefix;
    }
    int half = total / 2;
    int sum = 0;
    int i = 0;
    while (i < leaf.count - 1) {
      sum += leaf.packedEntrySize(i) - prefix;
      i++;
      if (sum >= half) {
        break;
      }
    }
    return Math.max(1, Math.min(i, leaf.count - 1));
  }

  static int branchSplitIndex(BranchNode branch) {
    int half = branch.bytes / 2;
    int sum = BranchLayout.FIRST_CHILD_SIZE;
    int i = 0;
    while (i < branch.count - 2) {
      sum += BranchLayout.entrySize(branch.keys[i].length);
      if (sum >= half) {
        break;
      }
      i++;
    }
    return Math.max(1, Math.min(i, branch.count - 2));
  }

  /**
   * The shortest key s with left &lt; s &lt;= right (left &lt; right), used with position MAX as
   * the separator: every version of keys before s sorts before (s, MAX), every version of s and
   * later keys at or after it. When left == right (versions of one key straddle the split) the
   * caller uses right's own position.
   */
  static byte[] separatorKey(byte[] left, byte[] right) {
    if (Arrays.equals(left, right)) {
      return right;
    }
    int common = Arrays.mismatch(left, right);
    // right is longer than the common prefix because left < right.
    return Arrays.copyOf(right, common + 1);
  }
}
