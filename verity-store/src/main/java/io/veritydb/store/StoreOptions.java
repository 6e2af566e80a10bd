package io.veritydb.store;

import io.veritydb.types.BadRequestException;

/**
 * Settings of a {@link PagedStore}. Immutable; start from {@link #defaults()} and change with the
 * {@code with...} methods.
 */
public final class StoreOptions {
  private static final long MIN_CACHE_BYTES = 64L * 4096;

  private final long cacheBytes;
  private final int maxOpenSnapshots;

  private StoreOptions(long cacheBytes, int maxOpenSnapshots) {
    this.cacheBytes = cacheBytes;
    this.maxOpenSnapshots = maxOpenSnapshots;
  }

  /** 64 MiB of page cache, at most 1024 snapshots and cursors open at once. */
  public static StoreOptions defaults() {
    return new StoreOptions(64L << 20, 1024);
  }

  /**
   * The memory bound of the page cache in bytes (at least 256 KiB): three quarters hold clean
   * pages, one quarter pages applied but not yet written (they are written early when it fills).
   */
  public StoreOptions withCacheBytes(long bytes) {
    if (bytes < MIN_CACHE_BYTES) {
      throw new BadRequestException(
          "store cache must be at least " + MIN_CACHE_BYTES + " bytes, was " + bytes);
    }
    return new StoreOptions(bytes, maxOpenSnapshots);
  }

  /** How many snapshots and scan cursors may be open at once before snapshot() refuses. */
  public StoreOptions withMaxOpenSnapshots(int max) {
    if (max < 1) {
      throw new BadRequestException("maxOpenSnapshots must be at least 1, was " + max);
    }
    return new StoreOptions(cacheBytes, max);
  }

  public long cacheBytes() {
    return cacheBytes;
  }

  public int maxOpenSnapshots() {
    return maxOpenSnapshots;
  }
}
