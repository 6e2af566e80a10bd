package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page cache's memory bound: clean pages get the room dirty pages do not take (dirty pages are
 * bounded to a quarter of the cache), and clean plus dirty never exceed the setting.
 */
class PageCacheBudgetTest {
  @TempDir Path dir;

  private static final long CACHE = 1L << 20;

  private static byte[] key(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }

  private static byte[] value(long id, int round) {
    byte[] v = new byte[100];
    Arrays.fill(v, (byte) (id * 7 + round));
    return v;
  }

  @Test
  void readsUseTheWholeCacheWhenNothingIsDirty() {
    Path file = dir.resolve("budget.db");
    int rows = 40_000; // ~4.5 MB of leaves: four times the cache
    StoreOptions options = StoreOptions.defaults().withCacheBytes(CACHE);
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, options)) {
      for (int id = 0; id < rows; id += 1000) {
        WriteBatch batch = new WriteBatch();
        for (long j = id; j < id + 1000; j++) {
          batch.put(key(j), value(j, 0));
        }
        store.apply(LogPosition.of(id / 1000 + 1), batch);
      }
      store.flush();
    }
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, options)) {
      for (long id = 0; id < rows; id++) {
        assertArrayEquals(value(id, 0), store.get(key(id)));
      }
      StoreStats stats = store.stats();
      assertEquals(0, stats.dirtyPages());
      // More than the three quarters clean pages were once limited to, never more than the cache.
      assertTrue(stats.cachedBytes() > CACHE * 7 / 8, "cached " + stats.cachedBytes());
      assertTrue(stats.cachedBytes() <= CACHE, "cached " + stats.cachedBytes());

      // Dirty pages take their room back from the clean ones.
      WriteBatch updates = new WriteBatch();
      for (long id = 0; id < rows; id += 200) {
        updates.put(key(id), value(id, 1));
      }
      store.apply(LogPosition.of(rows / 1000 + 1), updates);
      for (long id = 1; id < rows; id += 50) {
        assertArrayEquals(value(id, 0), store.get(key(id)));
      }
      StoreStats mixed = store.stats();
      assertTrue(mixed.dirtyPages() > 100, "dirty " + mixed.dirtyPages());
      long dirtyBytes = Math.min(mixed.dirtyPages(), CACHE / 4 / PageLayout.PAGE_SIZE);
      assertTrue(
          mixed.cachedBytes() <= CACHE - dirtyBytes * PageLayout.PAGE_SIZE,
          "cached " + mixed.cachedBytes() + " with " + mixed.dirtyPages() + " dirty pages");
    }
  }
}
