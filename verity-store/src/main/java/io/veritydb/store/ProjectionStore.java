package io.veritydb.store;

import io.veritydb.types.LogPosition;

/**
 * The projection store: all queryable state, a derived view of the log, versioned by log position.
 * One writer thread calls {@link #apply} (or {@link #applyUnpublished} and {@link #publish}); any
 * thread may take a {@link #snapshot()}.
 *
 * <p>Reads through this interface itself see the newest applied position and are meant for the
 * writer thread; other threads read through snapshots.
 */
public interface ProjectionStore extends StoreReader, AutoCloseable {
  /**
   * Applies {@code batch} as the state at {@code position} and publishes it: {@link
   * #applyUnpublished} then {@link #publish()}. Positions must be strictly increasing; an empty
   * batch still advances {@link #appliedPosition()}.
   */
  default void apply(LogPosition position, WriteBatch batch) {
    applyUnpublished(position, batch);
    publish();
  }

  /**
   * Applies like {@link #apply} but does not publish: {@link #snapshot()} keeps returning the last
   * published state; reads through this store (writer thread: get/getAt/scan/position/{@link
   * #appliedPosition()}) see it at once. Every version keeps its own position, so a read at any
   * position applied so far is exact. Applying many positions between two publishes is cheaper than
   * publishing each (the paged store changes the pages it copied since the last publish in place
   * instead of copying them again).
   */
  void applyUnpublished(LogPosition position, WriteBatch batch);

  /**
   * Publishes everything applied so far: later {@link #snapshot()} calls see it. Cheap when nothing
   * is pending. Writer thread only.
   */
  void publish();

  /**
   * Drops everything applied since the last publish and stops the store: it accepts no more writes
   * and {@link #close()} does not flush. For a writer that applied positions ahead of their log
   * append and then saw the append fail: those positions may not be in the log, so the store must
   * not make them durable. Snapshots keep reading the published state; a reopen replays the log
   * from the last flush. Writer thread only.
   */
  void abandon(String why);

  /**
   * Irreversibly removes every version (at every position) of every key in {@code range}: reads at
   * any position, now or past, no longer see them. Publishes first (see {@link #publish()}). Writer
   * thread only; made durable by the next flush. Pages that held purged entries are overwritten
   * with zeros once no snapshot and no durable superblock can reach them (so the bytes do not
   * linger in free pages of the file). Returns the number of versions removed.
   *
   * <p>{@link PagedStore} and {@link MemoryStore} implement it; the default, for decorators that do
   * not forward it yet, refuses loudly rather than leaving the data in place.
   */
  long purge(KeyRange range);

  /**
   * The newest position applied, published or not (durable only up to the last {@link #flush()}).
   */
  LogPosition appliedPosition();

  /** A stable view of the last published state (at {@link #appliedPosition()} once published). */
  StoreSnapshot snapshot();

  /**
   * Flushes the store: publishes (see {@link #publish()}), then makes everything applied so far
   * durable ({@link PagedStore} writes its dirty pages, then a superblock recording the applied
   * position); after a crash the store reopens at the last flush.
   */
  void flush();

  @Override
  void close();
}
