package io.veritydb.store;

import io.veritydb.types.LogPosition;

/**
 * The projection store: all queryable state, a derived view of the log, versioned by log position.
 * One writer thread calls {@link #apply}; any thread may take a {@link #snapshot()}.
 *
 * <p>Reads through this interface itself see the newest applied position and are meant for the
 * writer thread; other threads read through snapshots.
 */
public interface ProjectionStore extends StoreReader, AutoCloseable {
  /**
   * Applies {@code batch} as the state at {@code position}. Positions must be strictly increasing;
   * an empty batch still advances {@link #appliedPosition()}.
   */
  void apply(LogPosition position, WriteBatch batch);

  /** The newest position applied (durable only up to the last {@link #checkpoint()}). */
  LogPosition appliedPosition();

  /** A stable view at {@link #appliedPosition()}. */
  StoreSnapshot snapshot();

  /** Makes everything applied so far durable; after a crash the store reopens at this point. */
  void checkpoint();

  @Override
  void close();
}
