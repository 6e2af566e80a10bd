package io.veritydb.store;

import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;

/** A reader's hold on one published root of a {@link PagedStore}. Any thread. */
final class PagedSnapshot implements StoreSnapshot {
  private final PagedStore store;
  private final SnapshotTracker.Pin pin;
  private final Object leakToken;

  PagedSnapshot(PagedStore store, SnapshotTracker.Pin pin, Object leakToken) {
    this.store = store;
    this.pin = pin;
    this.leakToken = leakToken;
  }

  @Override
  public LogPosition position() {
    return LogPosition.of(pin.root().position());
  }

  @Override
  public byte[] get(byte[] key) {
    check();
    return store.reader().get(pin.root().page(), key, pin.root().position());
  }

  @Override
  public byte[] getAt(byte[] key, LogPosition at) {
    check();
    PagedStore.checkAt(at, pin.root());
    return store.reader().get(pin.root().page(), key, at.value());
  }

  @Override
  public LogPosition versionAt(byte[] key, LogPosition at) {
    check();
    PagedStore.checkAt(at, pin.root());
    long p = store.reader().versionAt(pin.root().page(), key, at.value());
    return p < 0 ? null : LogPosition.of(p);
  }

  @Override
  public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
    check();
    PagedStore.checkAt(at, pin.root());
    return new MvccCursor(
        store.reader(),
        pin.root().page(),
        range,
        at.value(),
        descending,
        limit,
        null,
        pin,
        leakToken);
  }

  private void check() {
    store.checkOpen();
    if (pin.isReleased()) {
      throw new ClosedException("store snapshot at " + position() + " is closed");
    }
  }

  @Override
  public void close() {
    pin.release();
  }
}
