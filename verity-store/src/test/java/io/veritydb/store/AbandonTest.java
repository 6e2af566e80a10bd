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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * abandon: what was applied since the last publish is dropped, the store takes no more writes, and
 * closing it does not flush (the runtime's answer to a log append that failed after the group was
 * applied ahead of it).
 */
class AbandonTest {
  @TempDir Path dir;

  private static byte[] key(long id) {
    return ByteBuffer.allocate(9).put((byte) 1).putLong(id).array();
  }

  private static WriteBatch rows(long from, long to, byte value) {
    WriteBatch batch = new WriteBatch();
    for (long id = from; id < to; id++) {
      batch.put(key(id), new byte[] {value, (byte) id});
    }
    return batch;
  }

  /** 1..10 published and flushed; 11 published; 12..13 applied unpublished. */
  private static void applyAhead(ProjectionStore store) {
    for (long p = 1; p <= 10; p++) {
      store.apply(LogPosition.of(p), rows(p * 100, p * 100 + 100, (byte) 1));
    }
    store.flush();
    store.apply(LogPosition.of(11), rows(0, 50, (byte) 2));
    store.applyUnpublished(LogPosition.of(12), rows(0, 3000, (byte) 3));
    store.applyUnpublished(LogPosition.of(13), new WriteBatch().delete(key(150)));
  }

  private static void checkAbandoned(ProjectionStore store) {
    store.abandon("the log append of positions 12..13 failed");
    assertEquals(LogPosition.of(11), store.appliedPosition());
    assertArrayEquals(new byte[] {2, 7}, store.get(key(7)));
    assertNull(store.get(key(2500)), "a key written only by an abandoned position");
    assertArrayEquals(new byte[] {1, (byte) 150}, store.get(key(150)), "an abandoned delete");
    try (StoreSnapshot snapshot = store.snapshot()) {
      assertEquals(LogPosition.of(11), snapshot.position());
      assertNull(snapshot.get(key(2500)));
    }
    UnavailableException e =
        assertThrows(
            UnavailableException.class,
            () -> store.applyUnpublished(LogPosition.of(12), rows(0, 1, (byte) 4)));
    assertTrue(e.getMessage().contains("positions 12..13 failed"), e.getMessage());
    assertThrows(UnavailableException.class, store::flush);
  }

  @Test
  void pagedStoreDropsUnpublishedAppliesAndClosesWithoutAFlush() {
    Path file = dir.resolve("s.db");
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      applyAhead(store);
      checkAbandoned(store);
    }
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      assertEquals(LogPosition.of(10), store.appliedPosition(), "the last flush, no later");
      assertArrayEquals(new byte[] {1, (byte) 150}, store.get(key(150)));
      assertNull(store.get(key(7)));
      store.apply(LogPosition.of(11), rows(0, 10, (byte) 5)); // writable again after a reopen
      assertArrayEquals(new byte[] {5, 7}, store.get(key(7)));
    }
  }

  @Test
  void memoryStoreDropsUnpublishedApplies() {
    try (MemoryStore store = new MemoryStore()) {
      applyAhead(store);
      checkAbandoned(store);
    }
  }
}
