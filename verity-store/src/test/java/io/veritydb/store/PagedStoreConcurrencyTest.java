package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer applies positions on the real disk while reader threads take snapshots: every batch
 * writes its own position into all N keys, so a reader that saw half a batch would find the keys
 * unequal.
 */
class PagedStoreConcurrencyTest {
  private static final int KEYS = 24;
  private static final int POSITIONS = 4000;

  @TempDir Path dir;

  private static byte[] key(int i) {
    return new byte[] {(byte) 'c', (byte) i};
  }

  private static byte[] value(long position, int i) {
    // Every 10th position one key gets a value large enough for overflow pages.
    int size = position % 10 == 0 && i == 3 ? 6000 : 8;
    return ByteBuffer.allocate(size).putLong(position).array();
  }

  @Test
  void readersUnderAWriterSeeOnlyWholePositions() throws Exception {
    run(1);
  }

  /**
   * The writer applies without publishing and publishes every 10th position: readers see only the
   * published positions, whole, while the pages of the unpublished ones are changed in place; the
   * writer's own reads see every position at once.
   */
  @Test
  void readersDuringUnpublishedAppliesSeeOnlyPublishedPositions() throws Exception {
    run(10);
  }

  private void run(int publishEvery) throws Exception {
    StoreOptions options = StoreOptions.defaults().withCacheBytes(512 * 1024);
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, dir.resolve("s.db"), options)) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong snapshotsRead = new AtomicLong();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        long seed = 1000L + r;
        Thread reader =
            new Thread(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  try {
                    while (!done.get()) {
                      readOneSnapshot(store, random, publishEvery);
                      snapshotsRead.incrementAndGet();
                    }
                  } catch (Throwable t) {
                    failure.compareAndSet(null, new AssertionError("reader seed=" + seed, t));
                  }
                });
        reader.start();
        readers.add(reader);
      }
      try {
        for (long p = 1; p <= POSITIONS && failure.get() == null; p++) {
          WriteBatch batch = new WriteBatch();
          for (int i = 0; i < KEYS; i++) {
            batch.put(key(i), value(p, i));
          }
          if (publishEvery == 1) {
            store.apply(LogPosition.of(p), batch);
          } else {
            store.applyUnpublished(LogPosition.of(p), batch);
            int i = (int) (p % KEYS);
            assertArrayEquals(value(p, i), store.get(key(i)), "writer reads " + p);
            if (p % publishEvery == 0) {
              store.publish();
            }
          }
          if (p % 250 == 0) {
            store.flush();
          }
        }
      } finally {
        done.set(true);
        for (Thread reader : readers) {
          reader.join();
        }
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertTrue(snapshotsRead.get() > 0, "readers read something");
      StoreStats stats = store.stats();
      assertEquals(0, stats.openSnapshots(), "every snapshot closed");
      assertEquals(0, stats.leakedSnapshots());
    }
  }

  private static void readOneSnapshot(PagedStore store, SplittableRandom random, int publishEvery) {
    try (StoreSnapshot snapshot = store.snapshot()) {
      long p = snapshot.position().value();
      assertEquals(0, p % publishEvery, "snapshot at an unpublished position " + p);
      if (p == 0) {
        assertNull(snapshot.get(key(0)));
        return;
      }
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(p, i), snapshot.get(key(i)), "key " + i + " at " + p);
      }
      long old = 1 + random.nextLong(p);
      int i = random.nextInt(KEYS);
      assertArrayEquals(value(old, i), snapshot.getAt(key(i), LogPosition.of(old)));
      try (StoreCursor cursor = snapshot.scan(KeyRange.ALL, random.nextBoolean(), KEYS)) {
        int n = 0;
        while (cursor.next()) {
          assertEquals(p, ByteBuffer.wrap(cursor.value()).getLong(), "scan at " + p);
          n++;
        }
        assertEquals(KEYS, n);
      }
    }
  }
}
