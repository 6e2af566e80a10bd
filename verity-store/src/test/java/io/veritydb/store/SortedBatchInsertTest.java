package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large batch applied in key order goes into the leaf of the previous key without a descent while
 * it sorts before that leaf's right separator: batches that interleave existing keys across many
 * leaves and levels, split leaves as they go, or reach past the rightmost leaf must land every key
 * where a descent would have put it.
 */
class SortedBatchInsertTest {
  @TempDir Path dir;

  private static byte[] key(long id) {
    return ByteBuffer.allocate(9).put((byte) 1).putLong(id).array();
  }

  private static byte[] value(long id, long position) {
    return ByteBuffer.allocate(40).putLong(id).putLong(position).array();
  }

  @Test
  void shouldPlaceEveryKeyOfBatchesThatInterleaveExistingLeaves() {
    try (PagedStore store =
        PagedStore.open(NioFileIo.INSTANCE, dir.resolve("s.db"), StoreOptions.defaults())) {
      // Position 1: even ids 0..39,998, enough for a tree of several levels.
      WriteBatch evens = new WriteBatch();
      for (long id = 0; id < 40_000; id += 2) {
        evens.put(key(id), value(id, 1));
      }
      store.apply(LogPosition.of(1), evens);
      // Position 2: odd ids between them, plus ids past the end (the rightmost leaf), given out
      // of order (the batch is sorted by the store), and an update of every 10th even id.
      WriteBatch odds = new WriteBatch();
      for (long id = 50_001; id >= 1; id -= 2) {
        odds.put(key(id), value(id, 2));
      }
      for (long id = 0; id < 40_000; id += 20) {
        odds.put(key(id), value(id, 2));
      }
      store.apply(LogPosition.of(2), odds);
      store.flush();

      for (long id = 0; id <= 50_001; id++) {
        boolean written = id % 2 == 1 || id < 40_000;
        byte[] now = store.get(key(id));
        if (!written) {
          assertNull(now, "id " + id);
          continue;
        }
        long position = id % 2 == 1 || id % 20 == 0 ? 2 : 1;
        assertArrayEquals(value(id, position), now, "id " + id);
        byte[] before = store.getAt(key(id), LogPosition.of(1));
        if (id % 2 == 0) {
          assertArrayEquals(value(id, 1), before, "id " + id + " at position 1");
        } else {
          assertNull(before, "id " + id + " at position 1");
        }
      }
      long count = 0;
      long last = -1;
      try (StoreCursor cursor = store.scan(KeyRange.ALL, false, Integer.MAX_VALUE)) {
        while (cursor.next()) {
          long id = ByteBuffer.wrap(cursor.key()).position(1).getLong();
          assertEquals(true, id > last, "scan order at id " + id);
          last = id;
          count++;
        }
      }
      assertEquals(20_000 + 25_001, count, "keys in the scan");
    }
  }
}
