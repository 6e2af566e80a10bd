package io.veritydb.store;

import java.util.Arrays;

/**
 * A decoded page held in the page cache. Once a node is reachable from a published root it never
 * changes; only the apply that allocated it ({@link #owner}) may modify it, before publishing.
 */
abstract class Node {
  /** Owner value of a node nobody may modify. */
  static final long IMMUTABLE = -1;

  final int page;
  long owner;

  /** Not yet written to the file: the cache must not drop it. Set by the writer only. */
  volatile boolean dirty;

  /** Read since the clock hand last passed (second chance). Racy by design. */
  boolean referenced;

  Node(int page, long owner) {
    this.page = page;
    this.owner = owner;
  }

  /** Approximate heap bytes held, for the cache budget. */
  abstract int memoryBytes();

  /** Orders (key ascending, position descending): the newest version of a key comes first. */
  static int compare(byte[] keyA, long positionA, byte[] keyB, long positionB) {
    int c = Arrays.compareUnsigned(keyA, keyB);
    return c != 0 ? c : Long.compare(positionB, positionA);
  }
}
