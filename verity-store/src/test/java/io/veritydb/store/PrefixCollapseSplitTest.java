package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leaf packs the key prefix its entries share once; a key inserted at either end of the leaf with
 * a shorter shared prefix makes the whole leaf need far more bytes. The split must still produce
 * two pages that fit (found by the SQLite differential test: "leaf split does not fit").
 */
class PrefixCollapseSplitTest {
  @TempDir Path dir;

  /** 40-byte keys that share 32 bytes. */
  private static byte[] longPrefixKey(int space, long id) {
    return ByteBuffer.allocate(40)
        .put((byte) space)
        .put(new byte[23])
        .putLong(7)
        .putLong(id)
        .array();
  }

  @Test
  void shouldSplitWhenAKeyWithAnotherPrefixLandsAtTheStartOrTheEndOfFullLeaves() {
    try (PagedStore store =
        PagedStore.open(NioFileIo.INSTANCE, dir.resolve("p.db"), StoreOptions.defaults())) {
      List<byte[]> keys = new ArrayList<>();
      // An ascending load leaves full leaves whose entries share 38 or so key bytes.
      WriteBatch load = new WriteBatch();
      for (long id = 0; id < 5000; id++) {
        byte[] key = longPrefixKey(2, id);
        load.put(key, new byte[] {2});
        keys.add(key);
      }
      long position = 1;
      store.apply(LogPosition.of(position), load);
      // Keys of other spaces land at index 0 of the first leaf and at the end of the last one.
      for (int space : new int[] {1, 3, 0, 4}) {
        byte[] key = longPrefixKey(space, 1);
        WriteBatch batch = new WriteBatch();
        batch.put(key, new byte[] {(byte) space});
        store.apply(LogPosition.of(++position), batch);
        keys.add(key);
      }
      store.flush();
      for (byte[] key : keys) {
        assertArrayEquals(new byte[] {key[0]}, store.get(key));
      }
      assertEquals(keys.size(), count(store));
    }
  }

  @Test
  void shouldKeepEveryLeafWithinAPageUnderRandomKeyFamiliesWithLongSharedPrefixes() {
    long seed = Long.getLong("verity.test.seed", System.nanoTime());
    java.util.Random random = new java.util.Random(seed);
    // Families of keys that share 30 bytes, differing from each other early or late.
    int[] differAt = {0, 0, 5, 12, 29, 29};
    long[] next = new long[differAt.length];
    java.util.TreeMap<String, byte[]> model = new java.util.TreeMap<>();
    try (PagedStore store =
        PagedStore.open(NioFileIo.INSTANCE, dir.resolve("r.db"), StoreOptions.defaults())) {
      for (long position = 1; position <= 3000; position++) {
        WriteBatch batch = new WriteBatch();
        int puts = 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 3);
        for (int i = 0; i < puts; i++) {
          int f = random.nextInt(differAt.length);
          byte[] key = new byte[38];
          key[differAt[f]] = (byte) (f + 1);
          long id = random.nextInt(4) == 0 ? random.nextInt(1000) : next[f]++;
          ByteBuffer.wrap(key, 30, 8).putLong(id);
          byte[] value = new byte[random.nextInt(random.nextInt(20) == 0 ? 600 : 8)];
          random.nextBytes(value);
          batch.put(key, value);
          model.put(java.util.HexFormat.of().formatHex(key), value);
        }
        try {
          store.apply(LogPosition.of(position), batch);
        } catch (RuntimeException e) {
          throw new AssertionError("seed=" + seed + " position " + position, e);
        }
      }
      store.flush();
      for (var e : model.entrySet()) {
        assertArrayEquals(
            e.getValue(), store.get(java.util.HexFormat.of().parseHex(e.getKey())), "seed=" + seed);
      }
      assertEquals(model.size(), count(store), "seed=" + seed);
    }
  }

  private static int count(StoreReader store) {
    int n = 0;
    try (StoreCursor c = store.scan(KeyRange.ALL, false, Integer.MAX_VALUE)) {
      while (c.next()) {
        n++;
      }
    }
    return n;
  }
}
