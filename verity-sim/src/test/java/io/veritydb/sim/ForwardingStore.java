package io.veritydb.sim;

import io.veritydb.store.KeyRange;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;

/**
 * A projection store that forwards everything, with hooks a planted bug overrides: how a read of
 * the store or of a snapshot is done.
 */
class ForwardingStore implements ProjectionStore {
  final ProjectionStore delegate;

  ForwardingStore(ProjectionStore delegate) {
    this.delegate = delegate;
  }

  /** Reads of the store itself (the kernel's view) and of snapshots go through here. */
  StoreReader reader(StoreReader r) {
    return r;
  }

  @Override
  public void apply(LogPosition position, WriteBatch batch) {
    delegate.apply(position, batch);
  }

  @Override
  public void applyUnpublished(LogPosition position, WriteBatch batch) {
    delegate.applyUnpublished(position, batch);
  }

  @Override
  public void publish() {
    delegate.publish();
  }

  @Override
  public void abandon(String why) {
    delegate.abandon(why);
  }

  @Override
  public LogPosition appliedPosition() {
    return delegate.appliedPosition();
  }

  @Override
  public StoreSnapshot snapshot() {
    StoreSnapshot s = delegate.snapshot();
    StoreReader r = reader(s);
    return new StoreSnapshot() {
      @Override
      public LogPosition position() {
        return r.position();
      }

      @Override
      public byte[] get(byte[] key) {
        return r.get(key);
      }

      @Override
      public byte[] getAt(byte[] key, LogPosition at) {
        return r.getAt(key, at);
      }

      @Override
      public LogPosition versionAt(byte[] key, LogPosition at) {
        return r.versionAt(key, at);
      }

      @Override
      public StoreCursor scan(KeyRange range, boolean descending, int limit) {
        return r.scan(range, descending, limit);
      }

      @Override
      public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
        return r.scanAt(range, at, descending, limit);
      }

      @Override
      public void close() {
        s.close();
      }
    };
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public long purge(KeyRange range) {
    return delegate.purge(range);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public LogPosition position() {
    return reader(delegate).position();
  }

  @Override
  public byte[] get(byte[] key) {
    return reader(delegate).get(key);
  }

  @Override
  public byte[] getAt(byte[] key, LogPosition at) {
    return reader(delegate).getAt(key, at);
  }

  @Override
  public LogPosition versionAt(byte[] key, LogPosition at) {
    return reader(delegate).versionAt(key, at);
  }

  @Override
  public StoreCursor scan(KeyRange range, boolean descending, int limit) {
    return reader(delegate).scan(range, descending, limit);
  }

  @Override
  public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
    return reader(delegate).scanAt(range, at, descending, limit);
  }
}
