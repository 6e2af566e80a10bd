package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Bit flips, torn writes and read errors injected under the store: a page that does not verify
 * raises {@link CorruptionException} naming the file and the page, and is never returned as data.
 */
class PagedStoreCorruptionTest {
  private static final Path FILE = Path.of("/mem/corrupt.db");
  private static final int KEYS = 1500;

  private final MemFileIo io = new MemFileIo();

  private static byte[] key(int i) {
    return ("k" + (i * 7919 % 10007)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(int i) {
    byte[] v = new byte[i % 97 == 0 ? 5000 : 20 + i % 30];
    Arrays.fill(v, (byte) i);
    return v;
  }

  /** Writes KEYS keys over two flushes, closes; returns the file's page count. */
  private int buildStore() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      for (int i = 0; i < KEYS; i++) {
        store.apply(LogPosition.of(i + 1), new WriteBatch().put(key(i), value(i)));
        if (i == KEYS / 2) {
          store.flush();
        }
      }
      return store.stats().filePages();
    }
  }

  /** Reads every key and scans; returns the corruption raised, or null when all reads matched. */
  private static CorruptionException readAll(PagedStore store) {
    try {
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(i), store.get(key(i)), "key " + i);
      }
      List<String> rows = StoreAsserts.drain(store.scan(KeyRange.ALL, true, Integer.MAX_VALUE));
      assertEquals(KEYS, rows.size());
      return null;
    } catch (CorruptionException e) {
      return e;
    }
  }

  @Test
  void everyFlippedBitInAReferencedPageIsReportedWithItsPageNumberAndNeverReturnedAsData() {
    int pages = buildStore();
    SplittableRandom random = new SplittableRandom(42);
    int detected = 0;
    for (int page = SuperblockLayout.FIRST_DATA_PAGE; page < pages; page++) {
      long offset = (long) page * PageLayout.PAGE_SIZE + random.nextInt(PageLayout.PAGE_SIZE);
      int bit = random.nextInt(8);
      io.flipBit(FILE, offset, bit);
      try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
        CorruptionException e = readAll(store);
        if (e != null) {
          detected++;
          assertTrue(
              e.getMessage().contains("page " + page + " ") && e.getMessage().contains(FILE + ""),
              "message names the file and page " + page + ": " + e.getMessage());
          // Corruption makes the store read-only.
          assertThrows(
              CorruptionException.class,
              () -> store.apply(LogPosition.of(KEYS + 10), new WriteBatch()));
        }
      } catch (CorruptionException e) {
        // Raised by open itself: the page was a free-list page.
        detected++;
        assertTrue(e.getMessage().contains("page " + page + " "), e.getMessage());
      }
      io.flipBit(FILE, offset, bit);
    }
    assertTrue(detected > pages / 2, "most pages are referenced: detected " + detected);
  }

  @Test
  void aTornNewestSuperblockFallsBackToThePreviousFlush() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      store.apply(LogPosition.of(1), new WriteBatch().put(key(1), value(1)));
      store.flush();
      store.apply(LogPosition.of(2), new WriteBatch().put(key(2), value(2)));
      long generation = store.stats().generation();
      long slot = SuperblockLayout.slotOf(generation + 1);
      byte[] before = io.file(FILE).durable.clone();
      store.flush();
      // Tear the superblock write: only its first 40 bytes reached the disk.
      MemFileIo.MemFile f = io.file(FILE);
      int from = (int) (slot * PageLayout.PAGE_SIZE + 40);
      System.arraycopy(before, from, f.durable, from, PageLayout.PAGE_SIZE - 40);
      io.crash();
    }
    // close() flushed nothing new (position 2 was durable), so the crash keeps the tear.
    io.crash();
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertEquals(LogPosition.of(1), store.appliedPosition());
      assertArrayEquals(value(1), store.get(key(1)));
      assertEquals(null, store.get(key(2)));
    }
  }

  @Test
  void aCrashWhileTheSuperblockIsWrittenLosesNothingDurable() {
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      for (int i = 0; i < 300; i++) {
        store.apply(LogPosition.of(i + 1), new WriteBatch().put(key(i), value(i)));
      }
      store.flush();
    }
    PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults());
    for (int i = 300; i < 600; i++) {
      store.apply(LogPosition.of(i + 1), new WriteBatch().put(key(i), value(i)));
    }
    // Early-written pages and a torn write of the next superblock slot, then a crash.
    long slot = SuperblockLayout.slotOf(store.stats().generation() + 1);
    io.tearAtCrash(slot * PageLayout.PAGE_SIZE + 100, 100);
    io.crash();
    try (PagedStore reopened = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertEquals(LogPosition.of(300), reopened.appliedPosition());
      for (int i = 0; i < 300; i++) {
        assertArrayEquals(value(i), reopened.get(key(i)));
      }
      assertEquals(null, reopened.get(key(450)));
    }
  }

  @Test
  void bothSuperblocksCorruptIsReportedOnOpen() {
    buildStore();
    io.flipBit(FILE, 100, 1);
    io.flipBit(FILE, PageLayout.PAGE_SIZE + 100, 1);
    CorruptionException e =
        assertThrows(
            CorruptionException.class, () -> PagedStore.open(io, FILE, StoreOptions.defaults()));
    assertTrue(e.getMessage().contains("no valid superblock"), e.getMessage());
  }

  @Test
  void aTornDataPageIsReportedWithItsPageNumber() {
    int pages = buildStore();
    List<Integer> reported = new ArrayList<>();
    for (int page = SuperblockLayout.FIRST_DATA_PAGE; page < pages; page += 7) {
      MemFileIo.MemFile f = io.file(FILE);
      byte[] saved = f.durable.clone();
      int half = page * PageLayout.PAGE_SIZE + PageLayout.PAGE_SIZE / 2;
      Arrays.fill(f.durable, half, half + PageLayout.PAGE_SIZE / 2, (byte) 0);
      io.crash();
      try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
        CorruptionException e = readAll(store);
        if (e != null) {
          assertTrue(e.getMessage().contains("page " + page + " "), e.getMessage());
          reported.add(page);
        }
      } catch (CorruptionException e) {
        assertTrue(e.getMessage().contains("page " + page + " "), e.getMessage());
        reported.add(page);
      }
      f.durable = saved;
      io.crash();
    }
    assertTrue(reported.size() > 3, "torn pages reported: " + reported);
  }

  @Test
  void aReadErrorSurfacesAsUnavailableNotAsData() {
    buildStore();
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      io.failReadsAt(3L * PageLayout.PAGE_SIZE + 10);
      int failures = 0;
      for (int i = 0; i < KEYS; i++) {
        try {
          assertArrayEquals(value(i), store.get(key(i)));
        } catch (UnavailableException e) {
          failures++;
        }
      }
      assertTrue(failures > 0, "page 3 is read by some lookup");
      io.failReadsAt(-1);
    }
  }
}
