package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagedStorePurgeTest {
  /** 32 distinctive bytes stored only under the purged prefix. */
  private static final byte[] MARKER =
      "#SHRED-ME#7f3a9c21e4b05d86#END#!".getBytes(StandardCharsets.US_ASCII);

  private static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A value holding the marker (and, for long values, many copies: an overflow chain). */
  private static byte[] markerValue(int copies, int salt) {
    byte[] v = new byte[copies * MARKER.length + 1];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(MARKER, 0, v, i * MARKER.length, MARKER.length);
    }
    v[v.length - 1] = (byte) salt;
    return v;
  }

  @Test
  void shouldLeaveNoPurgedValueBytesInTheFileOnceNoSnapshotOrFlushReachesThem(@TempDir Path dir) {
    Path path = dir.resolve("store.db");
    long position = 0;
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, path, StoreOptions.defaults())) {
      // Tenant 1 writes marker values (inline and overflow), tenant 2 other values, interleaved,
      // over many positions and flushes: marker bytes end up in live pages, in pages freed by
      // copy-on-write (durable and fresh) and in free pages already reused or not.
      for (int round = 0; round < 30; round++) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 40; i++) {
          batch.put(
              key("t1/row" + (i * 7 + round) % 120), markerValue(round % 5 == 0 ? 200 : 1, i));
          batch.put(key("t2/row" + (i * 3 + round) % 120), key("other value " + round + "/" + i));
        }
        store.apply(LogPosition.of(++position), batch);
        if (round % 4 == 3) {
          store.flush();
        }
      }
      store.flush();
      assertTrue(containsMarker(path), "the marker is in the file before the purge");
      LogPosition before = store.appliedPosition();
      byte[] t2Value = store.get(key("t2/row5"));
      assertTrue(t2Value != null);

      StoreSnapshot old = store.snapshot();
      long removed = store.purge(KeyRange.prefix(key("t1/")));
      assertEquals(30 * 40, removed);
      store.apply(LogPosition.of(++position), new WriteBatch().put(key("shred"), key("t1")));
      store.flush();
      assertArrayEquals(markerValue(200, 0), firstT1Value(old), "old snapshot still reads");
      old.close();
      store.flush(); // nothing applied: only zeroes the pages the snapshot held

      assertNull(store.get(key("t1/row0")));
      assertNull(store.getAt(key("t1/row0"), before));
      assertEquals(
          List.of(), StoreAsserts.drain(store.scan(KeyRange.prefix(key("t1/")), false, 10)));
      assertArrayEquals(t2Value, store.get(key("t2/row5")));
    }
    assertTrue(!containsMarker(path), "marker bytes linger in the store file after the purge");
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, path, StoreOptions.defaults())) {
      assertNull(store.get(key("t1/row0")));
      assertEquals(
          120, StoreAsserts.drain(store.scan(KeyRange.prefix(key("t2/")), false, 1000)).size());
      // Zeroed pages are free: reusing them for new writes works.
      for (int i = 0; i < 200; i++) {
        store.apply(
            LogPosition.of(++position), new WriteBatch().put(key("t3/" + i), new byte[3000]));
      }
      store.flush();
    }
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, path, StoreOptions.defaults())) {
      assertEquals(
          200, StoreAsserts.drain(store.scan(KeyRange.prefix(key("t3/")), false, 1000)).size());
    }
  }

  private static byte[] firstT1Value(StoreSnapshot snapshot) {
    byte[] v = snapshot.getAt(key("t1/row0"), LogPosition.of(1));
    return v;
  }

  private static boolean containsMarker(Path path) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (FileHandle handle = NioFileIo.INSTANCE.open(path, FileIo.Mode.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long offset = 0;
      while (true) {
        buffer.clear();
        int n = handle.read(buffer, offset);
        if (n <= 0) {
          break;
        }
        all.write(buffer.array(), 0, n);
        offset += n;
      }
    }
    byte[] bytes = all.toByteArray();
    outer:
    for (int i = 0; i + MARKER.length <= bytes.length; i++) {
      for (int j = 0; j < MARKER.length; j++) {
        if (bytes[i + j] != MARKER[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Purging most key spaces merges the leaves they leave underfull with their neighbours: the tree
   * shrinks to about the pages the remaining keys need, and close gives the freed pages back.
   */
  @Test
  void purgeMergesTheLeavesItEmptiesAndTheFileShrinks() {
    MemFileIo io = new MemFileIo();
    Path file = Path.of("m.db");
    String[] tenants = {"t1", "t2", "t3", "t4", "t5"};
    int live;
    try (PagedStore store = PagedStore.open(io, file, options())) {
      long position = 0;
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 4000; i += 500) {
          WriteBatch batch = new WriteBatch();
          for (int j = i; j < i + 500; j++) {
            // written interleaved; in key order each tenant is one run of leaves
            String tenant = tenants[j * 7 % tenants.length];
            batch.put(key(tenant + "/" + (100_000 + j)), new byte[30 + round]);
          }
          store.apply(LogPosition.of(++position), batch);
        }
      }
      store.flush();
      int before = PagedStoreSpaceTest.reachablePages(store);
      long removed = 0;
      for (int t = 1; t < tenants.length; t++) {
        removed += store.purge(KeyRange.prefix(key(tenants[t] + "/")));
      }
      live = PagedStoreSpaceTest.reachablePages(store);
      assertTrue(removed > 0, "purged " + removed);
      assertTrue(live < before / 3, "pages " + before + " -> " + live);
      List<String> left = StoreAsserts.drain(store.scan(KeyRange.ALL, false, 1 << 20));
      for (String entry : left) {
        assertTrue(entry.startsWith(StoreAsserts.hex(key("t1/"))), entry);
      }
      store.flush();
    }
    assertTrue(
        io.file(file).size() <= (live + live / 2 + 16L) * PageLayout.PAGE_SIZE,
        "file pages " + io.file(file).size() / PageLayout.PAGE_SIZE + ", live " + live);
    try (PagedStore store = PagedStore.open(io, file, options())) {
      int expected = 0;
      for (int j = 0; j < 4000; j++) {
        if (tenants[j * 7 % tenants.length].equals("t1")) {
          expected++;
          assertArrayEquals(new byte[31], store.get(key("t1/" + (100_000 + j))));
        }
      }
      assertEquals(expected, StoreAsserts.drain(store.scan(KeyRange.ALL, false, 1 << 20)).size());
    }
  }

  @Test
  void purgeOfAnEmptyRangeReturnsZero() {
    try (PagedStore empty = PagedStore.open(new MemFileIo(), Path.of("e.db"), options());
        PagedStore store = PagedStore.open(new MemFileIo(), Path.of("s.db"), options());
        MemoryStore model = new MemoryStore()) {
      assertEquals(0, empty.purge(KeyRange.ALL));
      WriteBatch batch = new WriteBatch().put(key("a1"), key("x")).put(key("c1"), key("y"));
      store.apply(LogPosition.of(1), batch);
      model.apply(LogPosition.of(1), batch);
      assertEquals(0, store.purge(KeyRange.prefix(key("b"))));
      assertEquals(0, model.purge(KeyRange.prefix(key("b"))));
      assertEquals(0, store.purge(new KeyRange(key("a2"), key("c0"))));
      assertArrayEquals(key("x"), store.get(key("a1")));
      assertArrayEquals(key("y"), store.get(key("c1")));
    }
  }

  @Test
  void snapshotTakenBeforeAPurgeKeepsReadingTheOldDataAndANewOneDoesNot() {
    MemFileIo io = new MemFileIo();
    try (PagedStore store = PagedStore.open(io, Path.of("s.db"), options())) {
      for (int p = 1; p <= 200; p++) {
        WriteBatch batch = new WriteBatch();
        batch.put(key("a/" + (p % 50)), markerValue(p % 10 == 0 ? 300 : 1, p));
        batch.put(key("b/" + (p % 50)), key("b" + p));
        store.apply(LogPosition.of(p), batch);
      }
      try (StoreSnapshot old = store.snapshot()) {
        List<String> oldScan = StoreAsserts.drain(old.scan(KeyRange.ALL, false, 1000));
        assertEquals(200, store.purge(KeyRange.prefix(key("a/"))));
        try (StoreSnapshot fresh = store.snapshot()) {
          assertNull(fresh.get(key("a/10")));
          assertNull(fresh.getAt(key("a/10"), LogPosition.of(10)));
          assertEquals(50, StoreAsserts.drain(fresh.scan(KeyRange.ALL, true, 1000)).size());
          assertArrayEquals(key("b200"), fresh.get(key("b/0")));
        }
        // More writes and flushes reuse pages; none the old snapshot reads.
        for (int p = 201; p <= 400; p++) {
          store.apply(LogPosition.of(p), new WriteBatch().put(key("c/" + p), new byte[2000]));
          if (p % 50 == 0) {
            store.flush();
          }
        }
        assertEquals(oldScan, StoreAsserts.drain(old.scan(KeyRange.ALL, false, 1000)));
        assertArrayEquals(markerValue(300, 10), old.getAt(key("a/10"), LogPosition.of(10)));
      }
      store.flush();
      assertNull(store.getAt(key("a/10"), LogPosition.of(10)));
    }
    try (PagedStore store = PagedStore.open(io, Path.of("s.db"), options())) {
      assertNull(store.getAt(key("a/10"), LogPosition.of(10)));
      assertEquals(
          50, StoreAsserts.drain(store.scan(KeyRange.prefix(key("b/")), false, 1000)).size());
    }
  }

  @Test
  void purgingEverythingLeavesAnEmptyStoreThatAcceptsWritesAndSurvivesReopen() {
    MemFileIo io = new MemFileIo();
    try (PagedStore store = PagedStore.open(io, Path.of("s.db"), options())) {
      for (int p = 1; p <= 300; p++) {
        store.apply(LogPosition.of(p), new WriteBatch().put(key("k" + p), markerValue(3, p)));
      }
      store.flush();
      assertEquals(300, store.purge(KeyRange.ALL));
      assertEquals(0, store.rootPage());
      assertEquals(List.of(), StoreAsserts.drain(store.scan(KeyRange.ALL, true, 10)));
    }
    try (PagedStore store = PagedStore.open(io, Path.of("s.db"), options())) {
      assertEquals(LogPosition.of(300), store.appliedPosition());
      assertNull(store.getAt(key("k5"), LogPosition.of(5)));
      store.apply(LogPosition.of(301), new WriteBatch().put(key("k1"), key("v")));
      assertArrayEquals(key("v"), store.get(key("k1")));
    }
  }

  private static StoreOptions options() {
    return StoreOptions.defaults().withCacheBytes(256 * 1024);
  }
}
