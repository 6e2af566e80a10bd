package io.veritydb.store;

/**
 * A published tree: the root page (0 for an empty tree) of the state right after {@code position}.
 * Reads at positions before {@code prunedBelow} are refused: history retention may have dropped
 * versions they would need. {@code purges} counts the purges made in this process up to this root:
 * pages a purge freed may be reused once no reader holds a root with fewer.
 */
record Root(long position, int page, long prunedBelow, long purges) {}
