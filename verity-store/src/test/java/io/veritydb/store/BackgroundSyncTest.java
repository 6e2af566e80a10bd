package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreOptions#withBackgroundSync}: the leaves and overflow pages of published applies are
 * written at the next apply and fsynced on the store's own thread; flushes keep their protocol (a
 * crash reopens at the last one, with exactly its data), and a background fsync that failed fails
 * the next flush.
 */
class BackgroundSyncTest {
  @TempDir Path dir;

  private static final Path FILE = Path.of("/mem/bg.db");

  private static byte[] key(long id) {
    return ByteBuffer.allocate(8).putLong(id * 0x9E3779B97F4A7C15L).array();
  }

  private static byte[] value(long id, long position) {
    // every 40th value takes an overflow chain
    byte[] v = new byte[id % 40 == 0 ? 6000 : 100];
    Arrays.fill(v, (byte) (id * 31 + position));
    return v;
  }

  /** Applies {@code count} positions of 40 random updates after {@code from}, each published. */
  private static void applyRandom(
      PagedStore store, long from, int count, int keys, Map<Long, Map<Long, byte[]>> history) {
    SplittableRandom random = new SplittableRandom(from);
    for (long p = from + 1; p <= from + count; p++) {
      WriteBatch batch = new WriteBatch();
      for (int i = 0; i < 40; i++) {
        long id = random.nextInt(keys);
        byte[] v = value(id, p);
        batch.put(key(id), v);
        history.computeIfAbsent(id, k -> new HashMap<>()).put(p, v);
      }
      store.apply(LogPosition.of(p), batch);
    }
  }

  /** The value of {@code id} visible at {@code at} in {@code history}, or null. */
  private static byte[] visible(Map<Long, Map<Long, byte[]>> history, long id, long at) {
    Map<Long, byte[]> versions = history.getOrDefault(id, Map.of());
    long best = -1;
    for (long p : versions.keySet()) {
      if (p <= at && p > best) {
        best = p;
      }
    }
    return best < 0 ? null : versions.get(best);
  }

  private static void checkAt(
      StoreReader store, Map<Long, Map<Long, byte[]>> history, int keys, long at) {
    for (long id = 0; id < keys; id++) {
      byte[] expected = visible(history, id, at);
      byte[] actual = store.getAt(key(id), LogPosition.of(at));
      if (expected == null) {
        assertNull(actual, "key " + id + " at " + at);
      } else {
        assertArrayEquals(expected, actual, "key " + id + " at " + at);
      }
    }
  }

  @Test
  void settledPagesAreWrittenBeforeTheFlushAndEveryVersionReadsBackAfterReopen()
      throws InterruptedException {
    int keys = 20_000; // ~600 leaves; the cache lets ~500 pages stay dirty without early writes
    Path file = dir.resolve("bg.db");
    StoreOptions options = StoreOptions.defaults().withCacheBytes(8L << 20);
    Map<Long, Map<Long, byte[]>> history = new HashMap<>();
    List<Integer> dirtyWith = new ArrayList<>();
    List<Integer> dirtyWithout = new ArrayList<>();
    try (PagedStore with =
            PagedStore.open(NioFileIo.INSTANCE, file, options.withBackgroundSync(true));
        PagedStore without =
            PagedStore.open(NioFileIo.INSTANCE, dir.resolve("plain.db"), options)) {
      for (long p = 0; p < 300; p += 30) {
        applyRandom(with, p, 30, keys, history);
        applyRandom(without, p, 30, keys, new HashMap<>());
        dirtyWith.add(with.stats().dirtyPages());
        dirtyWithout.add(without.stats().dirtyPages());
        with.backgroundSync().awaitIdle();
        if (p % 60 == 30) {
          with.flush();
          without.flush();
        }
      }
      // Before a flush only the last apply's pages and the branches are still dirty.
      for (int i = 0; i < dirtyWith.size(); i++) {
        assertTrue(
            dirtyWith.get(i) * 2 < dirtyWithout.get(i),
            "dirty pages with background sync " + dirtyWith + ", without " + dirtyWithout);
      }
      checkAt(with, history, keys, 300);
      checkAt(with, history, keys, 150);
    }
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, options)) {
      assertEquals(LogPosition.of(300), store.appliedPosition());
      checkAt(store, history, keys, 300);
      checkAt(store, history, keys, 77);
    }
  }

  @Test
  void aCrashAfterEarlyWritesAndBackgroundSyncsReopensAtTheLastFlush() throws InterruptedException {
    int keys = 2000;
    MemFileIo io = new MemFileIo();
    StoreOptions options = StoreOptions.defaults().withCacheBytes(512 << 10);
    Map<Long, Map<Long, byte[]>> history = new HashMap<>();
    PagedStore store = PagedStore.open(io, FILE, options.withBackgroundSync(true));
    applyRandom(store, 0, 100, keys, history);
    store.flush();
    applyRandom(store, 100, 60, keys, new HashMap<>()); // lost in the crash
    store.backgroundSync().awaitIdle(); // early-written pages of the lost applies are durable
    store.abandon("crash");
    store.close(); // writes nothing: stops the sync thread, as a dying process
    io.crash();
    try (PagedStore reopened = PagedStore.open(io, FILE, options)) {
      assertEquals(LogPosition.of(100), reopened.appliedPosition());
      checkAt(reopened, history, keys, 100);
      checkAt(reopened, history, keys, 50);
      applyRandom(reopened, 100, 20, keys, history); // the pages written early are reused
      reopened.flush();
      checkAt(reopened, history, keys, 120);
    }
  }

  @Test
  void aFailedBackgroundSyncFailsTheNextFlushAndTheStoreKeepsItsLastOne()
      throws InterruptedException {
    int keys = 2000;
    MemFileIo io = new MemFileIo();
    StoreOptions options = StoreOptions.defaults().withCacheBytes(512 << 10);
    Map<Long, Map<Long, byte[]>> history = new HashMap<>();
    try (PagedStore store = PagedStore.open(io, FILE, options.withBackgroundSync(true))) {
      applyRandom(store, 0, 20, keys, history);
      store.flush();
      io.failSyncsAfter(0);
      applyRandom(store, 20, 5, keys, new HashMap<>());
      store.backgroundSync().awaitIdle(); // the background fsync ran, and failed
      io.failSyncsAfter(-1); // the flush's own fsyncs would succeed: it must not
      UnavailableException e = assertThrows(UnavailableException.class, store::flush);
      assertTrue(e.getMessage().contains("background fsync failed"), e.getMessage());
      assertThrows(
          UnavailableException.class,
          () -> store.apply(LogPosition.of(26), new WriteBatch().put(key(1), new byte[1])));
    }
    io.crash();
    try (PagedStore reopened = PagedStore.open(io, FILE, options)) {
      assertEquals(LogPosition.of(20), reopened.appliedPosition());
      checkAt(reopened, history, keys, 20);
    }
  }
}
