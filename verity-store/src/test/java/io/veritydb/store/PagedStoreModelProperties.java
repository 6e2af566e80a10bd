package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The paged store against {@link MemoryStore} over random sequences of apply / get / getAt / scan /
 * scanAt / snapshot / flush / reopen / crash. A crash drops everything not flushed; the test then
 * re-applies the lost positions as the runtime would (replaying the log) and goes on comparing.
 * Every failure message starts with the seed.
 */
class PagedStoreModelProperties {
  private static final Path FILE = Path.of("/mem/store.db");

  @Property(tries = 60)
  void behavesLikeTheModelAcrossFlushesAndCrashes(@ForAll long seed) {
    try {
      new Run(seed).run(500);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed=" + seed + ": " + e.getMessage(), e);
    }
  }

  @Property(tries = 8)
  void behavesLikeTheModelWithManyVersionsPerKey(@ForAll long seed) {
    try {
      Run run = new Run(seed);
      run.keys = run.keys.subList(0, 6);
      run.run(1500);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed=" + seed + ": " + e.getMessage(), e);
    }
  }

  @Property(tries = 15)
  void behavesLikeTheModelWhenOldHistoryIsPruned(@ForAll long seed) {
    try {
      Run run = new Run(seed, 1 + new SplittableRandom(seed).nextInt(40));
      run.keys = run.keys.subList(0, Math.min(run.keys.size(), 12));
      run.run(1200);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed=" + seed + ": " + e.getMessage(), e);
    }
  }

  @Property(tries = 4)
  void behavesLikeTheModelOnTheRealDiskWhenTheProcessDies(@ForAll long seed) throws IOException {
    Path dir = Files.createTempDirectory("verity-store-model");
    KillableFileIo io = new KillableFileIo(NioFileIo.INSTANCE);
    try {
      new Run(seed, StoreOptions.KEEP_ALL_HISTORY, io, dir.resolve("store.db"), io::kill).run(300);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed=" + seed + ": " + e.getMessage(), e);
    } finally {
      io.kill();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  private static final class Run {
    final SplittableRandom random;
    final FileIo io;
    final Path file;
    final Runnable crasher;
    final StoreOptions options;
    final long retention;
    final MemoryStore model = new MemoryStore();
    final List<Long> logPositions = new ArrayList<>();
    final List<WriteBatch> logBatches = new ArrayList<>();

    /** The purge at each log index (null for an apply; then logPositions holds its position). */
    final List<KeyRange> logPurges = new ArrayList<>();

    /** How many log entries the last flush holds: a crash replays the ones after. */
    int flushedLog;

    /** How many log entries are published (snapshots see them). */
    int publishedLog;

    /** Chance in 8 that an apply does not publish (applyUnpublished); 0 in some runs. */
    final int unpublishedOdds;

    List<byte[]> keys = new ArrayList<>();
    PagedStore store;
    long flushed;

    Run(long seed) {
      this(seed, StoreOptions.KEEP_ALL_HISTORY);
    }

    Run(long seed, long retention) {
      this(seed, retention, new MemFileIo(), FILE, null);
    }

    Run(long seed, long retention, FileIo io, Path file, Runnable crasher) {
      this.io = io;
      this.file = file;
      this.crasher = crasher != null ? crasher : ((MemFileIo) io)::crash;
      random = new SplittableRandom(seed);
      unpublishedOdds = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(7);
      this.retention = retention;
      // Background sync (early writes of settled pages, fsynced on the store's own thread) in half
      // the runs on the thread-safe in-memory disk.
      StoreOptions o =
          StoreOptions.defaults()
              .withCacheBytes(256 * 1024)
              .withBackgroundSync(io instanceof MemFileIo && random.nextBoolean());
      options = retention == StoreOptions.KEEP_ALL_HISTORY ? o : o.withHistoryRetention(retention);
      int n = 20 + random.nextInt(120);
      for (int i = 0; i < n; i++) {
        int length = random.nextInt(20) == 0 ? 1 + random.nextInt(PagedStore.MAX_KEY_BYTES) : 1;
        length = Math.max(length, random.nextInt(12));
        byte[] key = new byte[Math.max(1, length)];
        for (int j = 0; j < key.length; j++) {
          key[j] = (byte) (random.nextInt(4) == 0 ? 0xFF : random.nextInt(3));
        }
        keys.add(key);
      }
      if (random.nextInt(3) == 0) {
        // A family of keys sharing a long prefix (packed leaves store it once), so that keys
        // outside it land at the ends of leaves full of it.
        byte[] prefix = new byte[40 + random.nextInt(300)];
        for (int j = 0; j < prefix.length; j++) {
          prefix[j] = (byte) (1 + random.nextInt(2));
        }
        int family = 20 + random.nextInt(60);
        for (int i = 0; i < family; i++) {
          byte[] key = Arrays.copyOf(prefix, prefix.length + 1 + random.nextInt(4));
          for (int j = prefix.length; j < key.length; j++) {
            key[j] = (byte) random.nextInt(256);
          }
          keys.add(key);
        }
      }
      store = PagedStore.open(io, file, options);
    }

    void run(int steps) {
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(112);
        String what = "step " + step + " op " + op;
        if (op < 45) {
          apply();
        } else if (op >= 104) {
          if (op < 108) {
            publish();
          } else {
            cursorAcrossApplies(what);
          }
        } else if (op < 55) {
          byte[] key = key();
          assertArrayEquals(model.get(key), store.get(key), what + " get");
        } else if (op < 65) {
          byte[] key = key();
          LogPosition at = anyPosition();
          assertArrayEquals(model.getAt(key, at), store.getAt(key, at), what + " getAt " + at);
          long oldest = oldestReadable(store.appliedPosition());
          if (oldest > 1) {
            LogPosition pruned = LogPosition.of(random.nextLong(oldest - 1));
            assertThrows(BadRequestException.class, () -> store.getAt(key, pruned), what);
          }
        } else if (op < 82) {
          compareScan(what, store, model, anyPosition());
        } else if (op < 88) {
          checkSnapshot(what);
        } else if (op < 93) {
          flush();
        } else if (op < 96) {
          store.close();
          model.publish();
          publishedLog = logPositions.size();
          flushed = model.appliedPosition().value();
          flushedLog = logPositions.size();
          store = PagedStore.open(io, file, options);
          assertEquals(model.appliedPosition(), store.appliedPosition(), what + " reopen");
        } else if (op < 100) {
          crash(what);
        } else {
          purge(what);
        }
      }
      compareScan("final", store, model, model.appliedPosition());
      assertEquals(0, store.stats().openSnapshots(), "open snapshots at the end");
      store.close();
    }

    byte[] key() {
      return keys.get(random.nextInt(keys.size()));
    }

    LogPosition anyPosition() {
      return randomAt(model.appliedPosition());
    }

    /** The oldest position a view at {@code view} can still read. */
    long oldestReadable(LogPosition view) {
      return retention == StoreOptions.KEEP_ALL_HISTORY ? 0 : Math.max(0, view.value() - retention);
    }

    void apply() {
      long position = model.appliedPosition().value() + 1 + random.nextInt(3);
      WriteBatch batch = new WriteBatch();
      int writes = random.nextInt(8);
      for (int i = 0; i < writes; i++) {
        if (random.nextInt(4) == 0) {
          batch.delete(key());
        } else {
          batch.put(key(), value());
        }
      }
      logPositions.add(position);
      logBatches.add(batch);
      logPurges.add(null);
      if (random.nextInt(8) < unpublishedOdds) {
        model.applyUnpublished(LogPosition.of(position), batch);
        store.applyUnpublished(LogPosition.of(position), batch);
      } else {
        model.apply(LogPosition.of(position), batch);
        store.apply(LogPosition.of(position), batch);
        publishedLog = logPositions.size();
      }
      assertEquals(model.appliedPosition(), store.appliedPosition(), "applied");
      assertEquals(model.snapshot().position(), published(store), "published after apply");
    }

    void publish() {
      model.publish();
      store.publish();
      publishedLog = logPositions.size();
      assertEquals(model.appliedPosition(), published(store), "published");
    }

    void flush() {
      store.flush();
      model.flush(); // publishes, like the store's
      publishedLog = logPositions.size();
      flushed = store.appliedPosition().value();
      flushedLog = logPositions.size();
    }

    /**
     * A cursor of the store itself (the writer's view, unpublished applies included) stays on the
     * state it started with while the writer applies more, published or not.
     */
    void cursorAcrossApplies(String what) {
      KeyRange range = KeyRange.ALL;
      boolean descending = random.nextBoolean();
      List<String> expected = StoreAsserts.drain(model.scan(range, descending, 1 << 20));
      List<String> seen = new ArrayList<>();
      try (StoreCursor cursor = store.scan(range, descending, 1 << 20)) {
        int applies = 1 + random.nextInt(4);
        for (int i = 0; i < applies; i++) {
          if (cursor.next()) {
            seen.add(StoreAsserts.entry(cursor));
          }
          apply();
          if (random.nextInt(4) == 0) {
            publish();
          }
        }
        while (cursor.next()) {
          seen.add(StoreAsserts.entry(cursor));
        }
      }
      assertEquals(expected, seen, what + " store cursor across applies");
    }

    /** Purges the keys with a random prefix of a random key (sometimes everything). */
    void purge(String what) {
      byte[] key = key();
      int length = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(Math.min(3, key.length));
      KeyRange range = KeyRange.prefix(Arrays.copyOf(key, length));
      long expected = model.purge(range);
      long removed = store.purge(range);
      publishedLog = logPositions.size() + 1; // a purge publishes first
      // The model keeps tombstones of absent keys and versions that retention pruned.
      assertTrue(
          removed >= 0 && removed <= expected, what + " purged " + removed + " > " + expected);
      logPositions.add(-1L);
      logBatches.add(null);
      logPurges.add(range);
    }

    byte[] value() {
      int r = random.nextInt(100);
      int length =
          r < 85 ? random.nextInt(40) : r < 95 ? 100 + random.nextInt(1200) : random.nextInt(9000);
      byte[] value = new byte[length];
      for (int i = 0; i < length; i++) {
        value[i] = (byte) random.nextInt(256);
      }
      return value;
    }

    void crash(String what) {
      if (options.backgroundSync()) {
        // Stop the old store's sync thread without writing anything (abandon: no flush on
        // close), as a process that dies takes its threads with it.
        store.abandon("crash");
        store.close();
      }
      crasher.run();
      store = PagedStore.open(io, file, options);
      assertEquals(LogPosition.of(flushed), store.appliedPosition(), what + " after crash");
      // Replay what the flush lost: the published part published, the rest not, so that the
      // store's snapshots again see exactly what the model's do.
      for (int i = flushedLog; i < logPositions.size(); i++) {
        if (logPurges.get(i) != null) {
          store.purge(logPurges.get(i));
        } else if (i < publishedLog) {
          store.apply(LogPosition.of(logPositions.get(i)), logBatches.get(i));
        } else {
          store.applyUnpublished(LogPosition.of(logPositions.get(i)), logBatches.get(i));
        }
      }
      assertEquals(model.appliedPosition(), store.appliedPosition(), what + " after replay");
      assertEquals(model.snapshot().position(), published(store), what + " published after replay");
    }

    void checkSnapshot(String what) {
      try (StoreSnapshot snapshot = store.snapshot();
          StoreSnapshot expected = model.snapshot()) {
        List<String> before = StoreAsserts.drain(expected.scan(KeyRange.ALL, false, 1 << 20));
        int applies = 1 + random.nextInt(6);
        for (int i = 0; i < applies; i++) {
          apply();
        }
        if (random.nextBoolean()) {
          flush();
        }
        assertEquals(expected.position(), snapshot.position(), what + " snapshot position");
        assertEquals(
            before,
            StoreAsserts.drain(snapshot.scan(KeyRange.ALL, false, 1 << 20)),
            what + " snapshot scan after newer applies");
        for (int i = 0; i < 5; i++) {
          byte[] key = key();
          assertArrayEquals(expected.get(key), snapshot.get(key), what + " snapshot get");
        }
        compareScan(what + " in snapshot", snapshot, expected, randomAt(snapshot.position()));
      }
    }

    LogPosition randomAt(LogPosition upTo) {
      long oldest = oldestReadable(upTo);
      return LogPosition.of(oldest + random.nextLong(upTo.value() - oldest + 1));
    }

    void compareScan(String what, StoreReader actual, StoreReader expected, LogPosition at) {
      byte[] a = random.nextInt(4) == 0 ? null : key();
      byte[] b = random.nextInt(4) == 0 ? null : key();
      if (random.nextInt(5) == 0 && a != null) {
        a = Arrays.copyOf(a, Math.max(0, a.length - 1));
      }
      if (a != null && b != null && Arrays.compareUnsigned(a, b) > 0) {
        byte[] t = a;
        a = b;
        b = t;
      }
      KeyRange range = new KeyRange(a, b);
      boolean descending = random.nextBoolean();
      int limit = random.nextInt(3) == 0 ? random.nextInt(6) : Integer.MAX_VALUE;
      String label =
          what
              + " scanAt "
              + at
              + " ["
              + StoreAsserts.hex(a)
              + ", "
              + StoreAsserts.hex(b)
              + ") desc="
              + descending
              + " limit="
              + limit;
      assertEquals(
          StoreAsserts.drain(expected.scanAt(range, at, descending, limit)),
          StoreAsserts.drain(actual.scanAt(range, at, descending, limit)),
          label);
    }
  }

  /** The position a snapshot of {@code store} reads at. */
  private static LogPosition published(PagedStore store) {
    try (StoreSnapshot snapshot = store.snapshot()) {
      return snapshot.position();
    }
  }
}
