package io.veritydb.sim;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileHandle;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.store.KeyRange;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Known bugs, planted through the engine's seams (file I/O and the projection store), never through
 * hooks in production code. Each must make the simulator fail a seed.
 */
final class PlantedBugs {
  private PlantedBugs() {}

  /** The log's fsync does nothing: acknowledged commands are not durable. */
  static Plant skipLogFsync() {
    return Plant.io("skip-log-fsync", io -> new LogSyncIo(io, false));
  }

  /**
   * The log's fsync of a batch happens only when the next batch is written: each batch is applied
   * and acknowledged before it is durable.
   */
  static Plant applyBeforeDurable() {
    return Plant.io("apply-before-durable", io -> new LogSyncIo(io, true));
  }

  /** A read at a past position P reads the versions of P-1. */
  static Plant readPreviousPosition() {
    return Plant.store(
        "read-previous-position",
        store ->
            new ForwardingStore(store) {
              @Override
              StoreReader reader(StoreReader r) {
                return new ShiftedReader(r);
              }
            });
  }

  /** A page that fails its checksum reads as absent instead of failing: corruption as data. */
  static Plant ignoreChecksumFailure() {
    return Plant.store(
        "ignore-checksum-failure",
        store ->
            new ForwardingStore(store) {
              @Override
              StoreReader reader(StoreReader r) {
                return new HidingReader(r);
              }
            });
  }

  /**
   * The audit entry of a rejected command says it was applied: the outcome byte of each audit entry
   * with a reason (the entry ends with the reason, u16 LE length first, after the outcome byte and
   * the row count) is written as 0, applied.
   */
  static Plant rejectionAuditedAsApplied() {
    return Plant.store(
        "rejection-audited-as-applied",
        store ->
            new ForwardingStore(store) {
              @Override
              public void apply(LogPosition position, WriteBatch batch) {
                delegate.apply(position, applied(batch));
              }

              @Override
              public void applyUnpublished(LogPosition position, WriteBatch batch) {
                delegate.applyUnpublished(position, applied(batch));
              }
            });
  }

  /** The audit entries key space (io.veritydb.api.internal.AuditTrail.ENTRIES). */
  private static final byte AUDIT_ENTRIES = 0x10;

  private static WriteBatch applied(WriteBatch batch) {
    WriteBatch out = new WriteBatch();
    for (WriteBatch.Write w : batch.writes()) {
      if (w.isDelete()) {
        out.delete(w.key());
      } else if (w.key().length == 17 && w.key()[0] == AUDIT_ENTRIES) {
        out.put(w.key(), withOutcomeApplied(w.value()));
      } else {
        out.put(w.key(), w.value());
      }
    }
    return out;
  }

  private static byte[] withOutcomeApplied(byte[] entry) {
    for (int reason = 1; reason + 11 <= entry.length && reason <= 0xFFFF; reason++) {
      int length = entry.length - 2 - reason;
      int stored = (entry[length] & 0xFF) | (entry[length + 1] & 0xFF) << 8;
      int outcome = length - 8 - 1;
      if (stored == reason && entry[outcome] == 1) {
        byte[] changed = entry.clone();
        changed[outcome] = 0;
        return changed;
      }
    }
    return entry;
  }

  /** Intercepts the handles of log segments ("*.log" files). */
  private static final class LogSyncIo extends ForwardingFileIo {
    private final FileIo io;
    private final boolean late;

    LogSyncIo(FileIo io, boolean late) {
      super(io);
      this.io = io;
      this.late = late;
    }

    @Override
    public FileHandle open(Path path, Mode mode) {
      FileHandle h = io.open(path, mode);
      if (!path.getFileName().toString().endsWith(".log")) {
        return h;
      }
      return new ForwardingFileHandle(h) {
        private boolean owed;

        @Override
        public void write(ByteBuffer source, long offset) {
          if (owed) {
            owed = false;
            h.sync();
          }
          h.write(source, offset);
        }

        @Override
        public void sync() {
          owed = late;
        }
      };
    }
  }

  /** Reads at a position before the view's newest read one position earlier. */
  private static final class ShiftedReader implements StoreReader {
    private final StoreReader r;

    ShiftedReader(StoreReader r) {
      this.r = r;
    }

    private LogPosition shift(LogPosition at) {
      return at.value() > 1 && at.isBefore(r.position()) ? LogPosition.of(at.value() - 1) : at;
    }

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
      return r.getAt(key, shift(at));
    }

    @Override
    public LogPosition versionAt(byte[] key, LogPosition at) {
      return r.versionAt(key, shift(at));
    }

    @Override
    public StoreCursor scan(KeyRange range, boolean descending, int limit) {
      return r.scan(range, descending, limit);
    }

    @Override
    public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
      return r.scanAt(range, shift(at), descending, limit);
    }
  }

  /** Turns CorruptionException on reads into "no such key" and "end of scan". */
  private static final class HidingReader implements StoreReader {
    private final StoreReader r;

    HidingReader(StoreReader r) {
      this.r = r;
    }

    @Override
    public LogPosition position() {
      return r.position();
    }

    @Override
    public byte[] get(byte[] key) {
      try {
        return r.get(key);
      } catch (CorruptionException e) {
        return null;
      }
    }

    @Override
    public byte[] getAt(byte[] key, LogPosition at) {
      try {
        return r.getAt(key, at);
      } catch (CorruptionException e) {
        return null;
      }
    }

    @Override
    public LogPosition versionAt(byte[] key, LogPosition at) {
      try {
        return r.versionAt(key, at);
      } catch (CorruptionException e) {
        return null;
      }
    }

    @Override
    public StoreCursor scan(KeyRange range, boolean descending, int limit) {
      return hide(() -> r.scan(range, descending, limit));
    }

    @Override
    public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
      return hide(() -> r.scanAt(range, at, descending, limit));
    }

    private static StoreCursor hide(java.util.function.Supplier<StoreCursor> open) {
      StoreCursor c;
      try {
        c = open.get();
      } catch (CorruptionException e) {
        return empty();
      }
      return new StoreCursor() {
        @Override
        public boolean next() {
          try {
            return c.next();
          } catch (CorruptionException e) {
            return false;
          }
        }

        @Override
        public byte[] key() {
          return c.key();
        }

        @Override
        public byte[] value() {
          return c.value();
        }

        @Override
        public void close() {
          c.close();
        }
      };
    }

    private static StoreCursor empty() {
      return new StoreCursor() {
        @Override
        public boolean next() {
          return false;
        }

        @Override
        public byte[] key() {
          throw new IllegalStateException("empty cursor");
        }

        @Override
        public byte[] value() {
          throw new IllegalStateException("empty cursor");
        }

        @Override
        public void close() {}
      };
    }
  }
}
