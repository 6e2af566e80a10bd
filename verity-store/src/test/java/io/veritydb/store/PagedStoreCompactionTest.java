package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Closing gives back the free end of the file: copy-on-write updates between two flushes leave the
 * first flush's pages free behind the new ones; close moves the live pages at the end into them and
 * truncates. Every version stays readable.
 */
class PagedStoreCompactionTest {
  private static final Path FILE = Path.of("/mem/compact.db");
  private static final int KEYS = 4000;
  private final MemFileIo io = new MemFileIo();

  private static byte[] key(long i) {
    return ("row-" + (100_000 + i)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(long i, int round) {
    // Every 500th key gets a value long enough for an overflow chain.
    byte[] v = new byte[i % 500 == 0 ? 9000 : 40];
    Arrays.fill(v, (byte) (i * 7 + round));
    return v;
  }

  /** Loads KEYS keys (flushed), then updates each once in random order; the page count. */
  private int loadAndUpdate(PagedStore store) {
    WriteBatch load = new WriteBatch();
    for (long i = 0; i < KEYS; i++) {
      load.put(key(i), value(i, 0));
    }
    store.apply(LogPosition.of(1), load);
    store.flush();
    long[] order = new long[KEYS];
    for (int i = 0; i < KEYS; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(5);
    for (int i = KEYS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int b = 0; b < KEYS; b += 100) {
      WriteBatch batch = new WriteBatch();
      for (int i = b; i < b + 100; i++) {
        batch.put(key(order[i]), value(order[i], 1));
      }
      store.apply(LogPosition.of(2 + b / 100), batch);
    }
    store.flush();
    return store.stats().filePages();
  }

  private static void checkAll(PagedStore store) {
    for (long i = 0; i < KEYS; i++) {
      assertArrayEquals(value(i, 1), store.get(key(i)), "key " + i);
      assertArrayEquals(value(i, 0), store.getAt(key(i), LogPosition.of(1)), "key " + i + " at 1");
    }
    assertEquals(
        KEYS, StoreAsserts.drain(store.scan(KeyRange.ALL, true, Integer.MAX_VALUE)).size());
  }

  @Test
  void closeMovesTheLivePagesDownAndCutsTheFreeEndOff() {
    int before;
    int live;
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      before = loadAndUpdate(store);
      live = PagedStoreSpaceTest.reachablePages(store);
      assertTrue(before > live * 3 / 2, "updates left free pages: " + before + " vs live " + live);
    }
    long bytes = io.file(FILE).size();
    assertTrue(
        bytes <= (live + live / 8 + 16L) * PageLayout.PAGE_SIZE,
        "file " + bytes / PageLayout.PAGE_SIZE + " pages, was " + before + ", live " + live);
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      checkAll(store);
      assertEquals(live, PagedStoreSpaceTest.reachablePages(store));
      store.apply(LogPosition.of(1000), new WriteBatch().put(key(1), value(1, 1)));
    }
    io.crash(); // everything was synced: nothing is lost
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      checkAll(store);
      assertEquals(LogPosition.of(1000), store.appliedPosition());
    }
  }

  @Test
  void aCrashBeforeTheCompactionIsDurableReopensAtTheSameState() {
    // Tear the last page written before the crash, at every point of a compacting close in turn.
    for (int crashAfterSyncs = 0; crashAfterSyncs < 4; crashAfterSyncs++) {
      MemFileIo disk = new MemFileIo();
      try (PagedStore store = PagedStore.open(disk, FILE, StoreOptions.defaults())) {
        loadAndUpdate(store);
        disk.failSyncsAfter(crashAfterSyncs);
        assertThrows(RuntimeException.class, store::close, "sync " + crashAfterSyncs);
      }
      disk.failSyncsAfter(-1);
      disk.crash();
      try (PagedStore store = PagedStore.open(disk, FILE, StoreOptions.defaults())) {
        checkAll(store);
      }
    }
  }

  @Test
  void anOpenSnapshotKeepsTheFileAsItIsAndIsClosedWithTheStore() {
    int before;
    StoreSnapshot snapshot;
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      before = loadAndUpdate(store);
      snapshot = store.snapshot();
    }
    assertEquals((long) before * PageLayout.PAGE_SIZE, io.file(FILE).size());
    assertThrows(ClosedException.class, () -> snapshot.get(key(1)));
    snapshot.close();
  }

  @Test
  void withCompactOnCloseOffTheFileKeepsItsFreePages() {
    StoreOptions options = StoreOptions.defaults().withCompactOnClose(false);
    int before;
    try (PagedStore store = PagedStore.open(io, FILE, options)) {
      before = loadAndUpdate(store);
    }
    assertEquals((long) before * PageLayout.PAGE_SIZE, io.file(FILE).size());
    try (PagedStore store = PagedStore.open(io, FILE, options)) {
      checkAll(store);
    }
  }
}
