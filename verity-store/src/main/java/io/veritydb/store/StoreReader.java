package io.veritydb.store;

import io.veritydb.types.LogPosition;

/**
 * Reads of a consistent view of the store, as of {@link #position()}. Every read may also name an
 * earlier position: the result is then what the store held right after that position was applied.
 */
public interface StoreReader {
  /** The newest position this view includes. */
  LogPosition position();

  /** The newest value of {@code key} in this view, or null when absent or deleted. */
  byte[] get(byte[] key);

  /**
   * The value of {@code key} right after {@code at} was applied, or null when absent or deleted
   * then. {@code at} must not be after {@link #position()}.
   */
  byte[] getAt(byte[] key, LogPosition at);

  /**
   * The position of the newest version of {@code key} at or before {@code at} (a delete is a
   * version too: {@link #getAt} is null there), or null when the key has no version then. Calling
   * it again with the position before the one returned walks the key's history newest first, one
   * descent per version. {@code at} must not be after {@link #position()}.
   */
  LogPosition versionAt(byte[] key, LogPosition at);

  /**
   * Live entries in {@code range}, in key order, at most {@code limit} of them: {@link #scanAt} at
   * {@link #position()}.
   */
  default StoreCursor scan(KeyRange range, boolean descending, int limit) {
    return scanAt(range, position(), descending, limit);
  }

  /** Entries live right after {@code at} was applied, in {@code range}, in key order. */
  StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit);
}
