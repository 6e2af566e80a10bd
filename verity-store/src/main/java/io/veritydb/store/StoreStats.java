package io.veritydb.store;

/**
 * A point-in-time picture of a {@link PagedStore}, for monitoring and tests.
 *
 * @param appliedPosition newest position applied
 * @param durablePosition position of the last durable flush
 * @param generation flush generation of the last durable superblock
 * @param filePages pages in the file (high-water mark), including the two superblock slots
 * @param freePages pages free for reuse right now
 * @param pendingFreePages pages freed but still reachable by an open reader or the durable flush
 * @param dirtyPages pages applied but not yet written
 * @param cachedBytes approximate bytes of clean pages in the cache
 * @param pageReads pages read from the file since open (cache misses)
 * @param openSnapshots snapshots and scan cursors currently open
 * @param leakedSnapshots snapshots and cursors garbage collected without being closed
 */
public record StoreStats(
    long appliedPosition,
    long durablePosition,
    long generation,
    int filePages,
    int freePages,
    int pendingFreePages,
    int dirtyPages,
    long cachedBytes,
    long pageReads,
    int openSnapshots,
    long leakedSnapshots) {}
