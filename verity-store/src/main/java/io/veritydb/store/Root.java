package io.veritydb.store;

/**
 * A published tree: the root page (0 for an empty tree) of the state right after {@code position}.
 */
record Root(long position, int page) {}
