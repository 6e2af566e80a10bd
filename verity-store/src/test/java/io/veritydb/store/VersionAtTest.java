package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** versionAt: the position of a key's version visible at a position, deletes included. */
class VersionAtTest {
  @TempDir Path dir;

  private static byte[] key(long id) {
    return ByteBuffer.allocate(9).put((byte) 1).putLong(id).array();
  }

  /** Key k is written at positions where position % (k + 2) == 0, deleted when also % 7 == 0. */
  private static List<Long> fill(ProjectionStore store, int keys, int positions) {
    List<Long> expectedOfKey3 = new ArrayList<>();
    for (long p = 1; p <= positions; p++) {
      WriteBatch batch = new WriteBatch();
      for (long k = 0; k < keys; k++) {
        if (p % (k + 2) == 0) {
          if (p % 7 == 0) {
            batch.delete(key(k));
          } else {
            batch.put(key(k), new byte[] {(byte) p, (byte) k});
          }
          if (k == 3) {
            expectedOfKey3.add(p);
          }
        }
      }
      store.apply(LogPosition.of(p), batch);
    }
    return expectedOfKey3;
  }

  /** Walks the history of {@code key} newest first from {@code at}. */
  private static List<Long> walk(StoreReader reader, byte[] key, long at) {
    List<Long> out = new ArrayList<>();
    LogPosition p = reader.versionAt(key, LogPosition.of(at));
    while (p != null) {
      out.add(0, p.value());
      p = p.value() > 1 ? reader.versionAt(key, LogPosition.of(p.value() - 1)) : null;
    }
    return out;
  }

  private static void check(ProjectionStore store) {
    List<Long> expected = fill(store, 400, 300); // many versions: the key's run spans leaves
    assertEquals(expected, walk(store, key(3), 300));
    try (StoreSnapshot snapshot = store.snapshot()) {
      assertEquals(expected, walk(snapshot, key(3), 300));
      assertEquals(expected.subList(0, 10), walk(snapshot, key(3), expected.get(9)));
      assertEquals(
          expected.subList(0, 10), walk(snapshot, key(3), expected.get(10) - 1)); // between
      // a delete is a version: getAt is null there
      assertEquals(LogPosition.of(35), snapshot.versionAt(key(3), LogPosition.of(36)));
      assertNull(snapshot.getAt(key(3), LogPosition.of(35)));
      assertNull(snapshot.versionAt(key(3), LogPosition.of(4))); // before its first write
      assertNull(snapshot.versionAt(key(100_000), LogPosition.of(300))); // never written
      assertThrows(
          BadRequestException.class, () -> snapshot.versionAt(key(3), LogPosition.of(301)));
    }
    // An unpublished apply is visible to the writer's own reads, not to an older snapshot.
    try (StoreSnapshot before = store.snapshot()) {
      WriteBatch batch = new WriteBatch();
      batch.put(key(3), new byte[] {1});
      store.applyUnpublished(LogPosition.of(301), batch);
      assertEquals(LogPosition.of(301), store.versionAt(key(3), LogPosition.of(301)));
      assertEquals(
          LogPosition.of(expected.get(expected.size() - 1)),
          before.versionAt(key(3), LogPosition.of(300)));
      store.publish();
    }
  }

  @Test
  void shouldWalkEveryVersionOfAKeyInThePagedStore() {
    try (PagedStore store =
        PagedStore.open(NioFileIo.INSTANCE, dir.resolve("v.db"), StoreOptions.defaults())) {
      check(store);
    }
  }

  @Test
  void shouldWalkEveryVersionOfAKeyInTheMemoryStore() {
    try (MemoryStore store = new MemoryStore()) {
      check(store);
    }
  }
}
