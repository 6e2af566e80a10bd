package io.veritydb.store;

import io.veritydb.types.BadRequestException;

/**
 * Settings of a {@link PagedStore}. Immutable; start from {@link #defaults()} and change with the
 * {@code with...} methods.
 */
public final class StoreOptions {
  private static final long MIN_CACHE_BYTES = 64L * 4096;

  /** {@link #historyRetention()} when every version is kept. */
  public static final long KEEP_ALL_HISTORY = Long.MAX_VALUE;

  private final long cacheBytes;
  private final int maxOpenSnapshots;
  private final long historyRetention;
  private final boolean compactOnClose;
  private final boolean backgroundSync;

  private StoreOptions(
      long cacheBytes,
      int maxOpenSnapshots,
      long historyRetention,
      boolean compactOnClose,
      boolean backgroundSync) {
    this.cacheBytes = cacheBytes;
    this.maxOpenSnapshots = maxOpenSnapshots;
    this.historyRetention = historyRetention;
    this.compactOnClose = compactOnClose;
    this.backgroundSync = backgroundSync;
  }

  /**
   * 64 MiB of page cache, at most 1024 snapshots and cursors open at once, all history kept, the
   * file's free end given back on close.
   */
  public static StoreOptions defaults() {
    return new StoreOptions(64L << 20, 1024, KEEP_ALL_HISTORY, true, false);
  }

  /**
   * The memory bound of the page cache in bytes (at least 256 KiB): pages applied but not yet
   * written take at most a quarter (they are written early when it fills), clean pages the rest.
   */
  public StoreOptions withCacheBytes(long bytes) {
    if (bytes < MIN_CACHE_BYTES) {
      throw new BadRequestException(
          "store cache must be at least " + MIN_CACHE_BYTES + " bytes, was " + bytes);
    }
    return new StoreOptions(
        bytes, maxOpenSnapshots, historyRetention, compactOnClose, backgroundSync);
  }

  /** How many snapshots and scan cursors may be open at once before snapshot() refuses. */
  public StoreOptions withMaxOpenSnapshots(int max) {
    if (max < 1) {
      throw new BadRequestException("maxOpenSnapshots must be at least 1, was " + max);
    }
    return new StoreOptions(cacheBytes, max, historyRetention, compactOnClose, backgroundSync);
  }

  /**
   * Keeps the history needed to read at the newest {@code positions} positions only: when apply at
   * P rewrites a key, versions of that key no longer visible at any position from P - positions on
   * are dropped, and reads before the oldest retained position are refused with a {@link
   * BadRequestException}. The default keeps every version ({@link #KEEP_ALL_HISTORY}), so any past
   * position can be read; with a retention the file size stays bounded under updates.
   */
  public StoreOptions withHistoryRetention(long positions) {
    if (positions < 1) {
      throw new BadRequestException("history retention must be at least 1, was " + positions);
    }
    return new StoreOptions(
        cacheBytes, maxOpenSnapshots, positions, compactOnClose, backgroundSync);
  }

  /**
   * Whether {@link PagedStore#close()} shrinks the file when at least an eighth of it is free and
   * no snapshot is open: it moves up to 64 MiB of live pages from the end of the file into free
   * pages nearer the start, flushes twice and truncates the freed end (default on). Copy-on- write
   * updates leave the previous flush's pages free behind them; this gives them back.
   */
  public StoreOptions withCompactOnClose(boolean compact) {
    return new StoreOptions(
        cacheBytes, maxOpenSnapshots, historyRetention, compact, backgroundSync);
  }

  /**
   * Whether the store writes the pages no apply will change again (the leaves and overflow pages of
   * published applies) at the next apply, and fsyncs them on a thread of its own while applies go
   * on, so that a flush finds most of its pages already on the device (default off). The flush
   * protocol and its guarantees are unchanged; it costs one thread per store. For FileIo
   * implementations safe to sync from another thread (NioFileIo is); a deterministic simulation
   * should leave it off.
   */
  public StoreOptions withBackgroundSync(boolean sync) {
    return new StoreOptions(cacheBytes, maxOpenSnapshots, historyRetention, compactOnClose, sync);
  }

  public long cacheBytes() {
    return cacheBytes;
  }

  public int maxOpenSnapshots() {
    return maxOpenSnapshots;
  }

  public long historyRetention() {
    return historyRetention;
  }

  public boolean compactOnClose() {
    return compactOnClose;
  }

  public boolean backgroundSync() {
    return backgroundSync;
  }
}
