package io.veritydb.store;

/**
 * A published tree: the root page (0 for an empty tree) of the state right after {@code position}.
 * Reads at positions before {@code prunedBelow} are refused: history retention may have dropped
 * versions they would need.
 */
record Root(long position, int page, long prunedBelow) {}
