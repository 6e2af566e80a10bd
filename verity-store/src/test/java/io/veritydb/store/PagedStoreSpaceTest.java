package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Page reuse, snapshot lifetime and limits. */
class PagedStoreSpaceTest {
  private static final Path FILE = Path.of("/mem/space.db");
  private final MemFileIo io = new MemFileIo();

  private static byte[] key(long i) {
    return ("key-" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Pages reachable from the root: tree nodes and overflow pages. */
  static int reachablePages(PagedStore store) {
    BitSet seen = new BitSet();
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    if (store.rootPage() != 0) {
      todo.add(store.rootPage());
    }
    PageCache cache = store.reader().cache();
    while (!todo.isEmpty()) {
      int page = todo.poll();
      seen.set(page);
      Node node = cache.node(page);
      if (node instanceof BranchNode b) {
        for (int i = 0; i <= b.count; i++) {
          todo.add(b.children[i]);
        }
      } else {
        LeafNode leaf = (LeafNode) node;
        for (int i = 0; i < leaf.count; i++) {
          if (leaf.kind(i) == LeafNode.KIND_OVERFLOW) {
            int pages = TreeReader.overflowPageCount(leaf.overflowLength(i));
            int p = leaf.overflowFirstPage(i);
            for (int j = 0; j < pages; j++) {
              seen.set(p);
              p = cache.overflow(p).next;
            }
          }
        }
      }
    }
    return seen.cardinality();
  }

  /**
   * History built without retention, then pruned by updates under a retention: the leaves the
   * pruning thins are merged with their neighbours, and every read the retention allows is
   * unchanged.
   */
  @Test
  void leavesThinnedByHistoryRetentionAreMerged() {
    int keys = 600;
    int versions = 20;
    long position = 0;
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      for (int v = 0; v < versions; v++) {
        WriteBatch batch = new WriteBatch();
        for (int k = 0; k < keys; k++) {
          batch.put(key(k), new byte[] {(byte) v, (byte) k});
        }
        store.apply(LogPosition.of(++position), batch);
      }
    }
    StoreOptions retained = StoreOptions.defaults().withHistoryRetention(1);
    try (PagedStore store = PagedStore.open(io, FILE, retained)) {
      int before = reachablePages(store);
      for (int k = 0; k < keys; k += 50) { // one position per run of 50 keys
        WriteBatch batch = new WriteBatch();
        for (int j = k; j < k + 50; j++) {
          batch.put(key(j), new byte[] {(byte) versions, (byte) j});
        }
        store.apply(LogPosition.of(++position), batch);
      }
      int after = reachablePages(store);
      assertTrue(after < before / 3, "pages " + before + " -> " + after);
      for (int k = 0; k < keys; k++) {
        assertEquals(
            Arrays.toString(new byte[] {(byte) versions, (byte) k}),
            Arrays.toString(store.get(key(k))));
      }
      assertEquals(keys, StoreAsserts.drain(store.scan(KeyRange.ALL, false, 1 << 20)).size());
    }
  }

  @Test
  void pagesFreedByCopyOnWriteAreReusedSoTheFileTracksTheLiveData() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      long p = 0;
      for (int round = 0; round < 40; round++) {
        for (int i = 0; i < 500; i++) {
          p++;
          byte[] value = new byte[p % 50 == 0 ? 5000 : 16];
          store.apply(LogPosition.of(p), new WriteBatch().put(key(p * 31 % 400), value));
        }
        store.flush();
      }
      int reachable = reachablePages(store);
      StoreStats stats = store.stats();
      int overhead = stats.filePages() - reachable;
      // What is not reachable is free or waiting for the next flush: bounded by what one
      // flush interval copies (500 applies touch at most 500 leaves + their parents).
      assertTrue(
          overhead
              <= SuperblockLayout.FIRST_DATA_PAGE
                  + stats.freePages()
                  + stats.pendingFreePages()
                  + 8,
          "file " + stats.filePages() + " reachable " + reachable + " " + stats);
      assertTrue(overhead < reachable / 2 + 200, "garbage is bounded: " + stats);
    }
  }

  @Test
  void withHistoryRetentionTheFileStopsGrowingUnderEndlessUpdates() {
    StoreOptions options = StoreOptions.defaults().withHistoryRetention(50);
    try (PagedStore store = PagedStore.open(io, FILE, options)) {
      long p = 0;
      int[] pagesAfterRound = new int[4];
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 5000; i++) {
          p++;
          byte[] value = new byte[p % 50 == 0 ? 5000 : 40];
          store.apply(LogPosition.of(p), new WriteBatch().put(key(p * 31 % 300), value));
          if (p % 100 == 0) {
            store.flush();
          }
        }
        pagesAfterRound[round] = store.stats().filePages();
      }
      assertTrue(
          pagesAfterRound[3] <= pagesAfterRound[0] + pagesAfterRound[0] / 5 + 16,
          "file pages per round: " + Arrays.toString(pagesAfterRound));
      long oldest = p - 50;
      assertThrows(
          BadRequestException.class, () -> store.getAt(key(1), LogPosition.of(oldest - 1)));
      try (StoreSnapshot snapshot = store.snapshot()) {
        assertThrows(
            BadRequestException.class,
            () -> snapshot.scanAt(KeyRange.ALL, LogPosition.of(oldest - 1), false, 10));
        assertEquals(
            300,
            StoreAsserts.drain(snapshot.scanAt(KeyRange.ALL, LogPosition.of(oldest), false, 1000))
                .size());
      }
    }
    // The retained horizon survives reopening, even without the option.
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertThrows(BadRequestException.class, () -> store.getAt(key(1), LogPosition.of(10)));
    }
  }

  @Test
  void anOpenSnapshotHoldsItsPagesAndClosingItReleasesThem() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      store.apply(LogPosition.of(1), new WriteBatch().put(key(1), new byte[] {1}));
      StoreSnapshot old = store.snapshot();
      for (long p = 2; p < 2000; p++) {
        store.apply(LogPosition.of(p), new WriteBatch().put(key(p % 300), new byte[] {2}));
        if (p % 100 == 0) {
          store.flush();
        }
      }
      assertTrue(store.stats().pendingFreePages() > 100, "pinned: " + store.stats());
      assertEquals(1, old.get(key(1))[0]);
      assertEquals(1, store.stats().openSnapshots());
      old.close();
      assertThrows(ClosedException.class, () -> old.get(key(1)));
      store.apply(LogPosition.of(3000), new WriteBatch());
      assertEquals(0, store.stats().openSnapshots());
      assertTrue(store.stats().pendingFreePages() < 100, "released: " + store.stats());
    }
  }

  @Test
  void tooManyOpenSnapshotsIsRefusedWithAClearError() {
    StoreOptions options = StoreOptions.defaults().withMaxOpenSnapshots(3);
    try (PagedStore store = PagedStore.open(io, FILE, options)) {
      StoreSnapshot a = store.snapshot();
      StoreSnapshot b = store.snapshot();
      StoreCursor c = store.scan(KeyRange.ALL, false, 10);
      UnavailableException e = assertThrows(UnavailableException.class, store::snapshot);
      assertTrue(e.getMessage().contains("too many open store snapshots"), e.getMessage());
      a.close();
      b.close();
      c.close();
      store.snapshot().close();
      assertEquals(0, store.stats().openSnapshots());
    }
  }

  @Test
  void aSnapshotNeverClosedIsCountedAsLeakedOnceCollected() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      leakOne(store);
      for (int i = 0; i < 200 && store.stats().leakedSnapshots() == 0; i++) {
        System.gc();
        byte[][] pressure = new byte[64][];
        for (int j = 0; j < pressure.length; j++) {
          pressure[j] = new byte[64 * 1024];
        }
        assertEquals(64, pressure.length);
      }
      assertEquals(1, store.stats().leakedSnapshots(), "leak detected");
      assertEquals(0, store.stats().openSnapshots(), "leaked pin released");
    }
  }

  private static void leakOne(PagedStore store) {
    StoreSnapshot leaked = store.snapshot();
    assertEquals(LogPosition.NONE, leaked.position());
  }

  @Test
  void oversizedKeysAreRejectedBeforeAnythingIsApplied() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      WriteBatch batch =
          new WriteBatch()
              .put(key(1), new byte[] {1})
              .put(new byte[PagedStore.MAX_KEY_BYTES + 1], new byte[] {1});
      BadRequestException e =
          assertThrows(BadRequestException.class, () -> store.apply(LogPosition.of(1), batch));
      assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
      assertEquals(LogPosition.NONE, store.appliedPosition());
      store.apply(LogPosition.of(1), new WriteBatch().put(new byte[1024], new byte[70_000]));
      assertEquals(70_000, store.get(new byte[1024]).length);
    }
  }

  @Test
  void positionsMustIncrease() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      store.apply(LogPosition.of(5), new WriteBatch());
      assertThrows(
          IllegalArgumentException.class, () -> store.apply(LogPosition.of(5), new WriteBatch()));
      assertThrows(BadRequestException.class, () -> store.getAt(key(1), LogPosition.of(6)));
    }
  }
}
