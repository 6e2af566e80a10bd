package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk leaf form: packed leaves (shared key prefix, varints) are what is written, files of
 * store version 1 (plain leaves) are still read, ascending loads leave full pages, and a packed
 * leaf that checksums but does not decode is reported as corrupt.
 */
class PagedStoreLayoutTest {
  @TempDir Path dir;

  /** A row-like key: space byte, tenant, table (17 bytes shared), then the id. */
  private static byte[] rowKey(long id) {
    return ByteBuffer.allocate(25).put((byte) 1).putLong(1).putLong(7).putLong(id).array();
  }

  private static byte[] value(long id, int round, int size) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) (id * 31 + round));
    return v;
  }

  @Test
  void updatingEveryKeyInKeyOrderKeepsPagesFull() {
    Path file = dir.resolve("upd.db");
    int rows = 20_000;
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      long position = 0;
      for (int round = 0; round < 2; round++) {
        for (long id = 0; id < rows; id += 1000) {
          WriteBatch batch = new WriteBatch();
          for (long j = id + 999; j >= id; j--) { // any order: a batch is applied in key order
            batch.put(rowKey(j), value(j, round, 36));
            // and a key space after the rows, written with them (as the runtime's audit trail is)
            batch.put(ByteBuffer.allocate(12).put((byte) 3).putLong(j).array(), new byte[0]);
          }
          store.apply(LogPosition.of(++position), batch);
        }
      }
      store.flush();
      StoreStats stats = store.stats();
      double perRow = stats.filePages() * (double) PageLayout.PAGE_SIZE / rows;
      // Per row 2 versions of ~48 bytes and 2 trailer entries of ~9: 115 at full pages.
      assertTrue(perRow < 125, "bytes per row " + perRow + " with " + stats);
      for (long id = 0; id < rows; id += 97) {
        assertArrayEquals(value(id, 1, 36), store.get(rowKey(id)));
        assertArrayEquals(value(id, 0, 36), store.getAt(rowKey(id), LogPosition.of(20)));
      }
    }
  }

  /**
   * An ascending load leaves 1/16 of each leaf free ({@link Splits#RUN_FILL}), so the first update
   * of a row after it (a new version next to the old one) fits its leaf: the copy-on-write copy
   * replaces the leaf and the tree gains no page. A completely full leaf split at the first update:
   * two pages written instead of one, and a half-empty page left behind.
   */
  @Test
  void anUpdateAfterAnAscendingLoadFitsTheRoomTheLoadLeftInItsLeaf() {
    Path file = dir.resolve("slack.db");
    int rows = 20_000;
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      long position = 0;
      for (long id = 0; id < rows; id += 1000) {
        WriteBatch batch = new WriteBatch();
        for (long j = id; j < id + 1000; j++) {
          batch.put(rowKey(j), value(j, 0, 36));
        }
        store.apply(LogPosition.of(++position), batch);
      }
      store.flush();
      long livePages = livePages(store.stats());
      WriteBatch updates = new WriteBatch();
      for (long id = 0; id < rows; id += 97) { // one row of most leaves (about 80 rows per leaf)
        updates.put(rowKey(id), value(id, 1, 36));
      }
      store.apply(LogPosition.of(++position), updates);
      store.flush();
      long after = livePages(store.stats());
      assertTrue(after <= livePages + 2, "live pages " + livePages + " -> " + after);
      for (long id = 0; id < rows; id += 97) {
        assertArrayEquals(value(id, 1, 36), store.get(rowKey(id)));
        assertArrayEquals(value(id, 0, 36), store.getAt(rowKey(id), LogPosition.of(position - 1)));
      }
    }
  }

  private static long livePages(StoreStats stats) {
    return (long) stats.filePages() - stats.freePages() - stats.pendingFreePages();
  }

  /**
   * A key sharing nothing with a full leaf's long common prefix, landing at either end of it: every
   * entry then pays its whole key again, the leaf needs several pages, and the split must be next
   * to the new key rather than in the middle.
   */
  @Test
  void aKeyAtEitherEndOfAFullLeafSharingNoPrefixSplitsIt() {
    Path file = dir.resolve("prefix.db");
    byte[] common = new byte[300];
    Arrays.fill(common, (byte) 0x41);
    long position = 0;
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      for (int round = 0; round < 3; round++) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 400; i++) {
          byte[] key = Arrays.copyOf(common, common.length + 4);
          ByteBuffer.wrap(key, common.length, 4).putInt(i * 3 + round);
          batch.put(key, value(i, round, 4));
        }
        store.apply(LogPosition.of(++position), batch);
        store.apply(LogPosition.of(++position), new WriteBatch().put(new byte[] {0}, new byte[1]));
        store.apply(
            LogPosition.of(++position),
            new WriteBatch().put(new byte[] {(byte) 0xFF}, new byte[1]));
      }
      store.flush();
    }
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      assertEquals(1202, StoreAsserts.drain(store.scan(KeyRange.ALL, false, 1 << 20)).size());
      assertArrayEquals(new byte[1], store.get(new byte[] {(byte) 0xFF}));
    }
  }

  @Test
  void ascendingBatchesFillLeavesAndShareTheKeyPrefix() {
    Path file = dir.resolve("asc.db");
    int rows = 20_000;
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      long position = 0;
      for (long id = 0; id < rows; id += 1000) {
        WriteBatch batch = new WriteBatch();
        for (long j = id; j < id + 1000; j++) {
          batch.put(rowKey(j), value(j, 0, 36));
        }
        store.apply(LogPosition.of(++position), batch);
      }
      store.flush();
      StoreStats stats = store.stats();
      double perRow = stats.filePages() * (double) PageLayout.PAGE_SIZE / rows;
      // 74 bytes per entry in the plain form at half-full pages was ~150 B/row; packed and full:
      // 1 kind + 3 varints + 8 key bytes + 36 value bytes = 48 plus page slack.
      assertTrue(perRow < 56, "bytes per row " + perRow + " with " + stats);
      for (long id = 0; id < rows; id += 97) {
        assertArrayEquals(value(id, 0, 36), store.get(rowKey(id)));
      }
    }
  }

  @Test
  void readsAFileWrittenWithVersion1PlainLeavesAndWritesPackedOnesAfter() throws IOException {
    Path file = dir.resolve("v1.db");
    int keys = 300;
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      for (int round = 0; round < 2; round++) {
        WriteBatch batch = new WriteBatch();
        for (int j = 0; j < keys; j++) {
          long i = j * 13L % keys; // every key once, not in order
          batch.put(rowKey(i), value(i, round, 400));
        }
        store.apply(LogPosition.of(round + 1), batch);
      }
    }
    int converted = rewriteAsVersion1(file);
    assertTrue(converted > 10, "plain leaves written: " + converted);
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(value(i, 1, 400), store.get(rowKey(i)), "key " + i);
        assertArrayEquals(value(i, 0, 400), store.getAt(rowKey(i), LogPosition.of(1)), "key " + i);
      }
      store.apply(LogPosition.of(3), new WriteBatch().put(rowKey(5), value(5, 3, 10)));
    }
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      assertArrayEquals(value(5, 3, 10), store.get(rowKey(5)));
      assertEquals(
          StoreAsserts.drain(store.scanAt(KeyRange.ALL, LogPosition.of(2), false, 1 << 20)).size(),
          keys);
    }
    ByteBuffer a = readPage(file, 0);
    ByteBuffer b = readPage(file, 1);
    ByteBuffer newest =
        a.getLong(SuperblockLayout.GENERATION_OFFSET)
                > b.getLong(SuperblockLayout.GENERATION_OFFSET)
            ? a
            : b;
    assertEquals(SuperblockLayout.VERSION, newest.getInt(SuperblockLayout.VERSION_OFFSET));
  }

  @Test
  void aPackedLeafThatChecksumsButDoesNotDecodeIsReportedWithItsPage() throws IOException {
    Path file = dir.resolve("bad.db");
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      WriteBatch batch = new WriteBatch();
      for (long i = 0; i < 500; i++) {
        batch.put(rowKey(i), value(i, 0, 20));
      }
      store.apply(LogPosition.of(1), batch);
    }
    int pages = (int) (Files.size(file) / PageLayout.PAGE_SIZE);
    int damaged = -1;
    for (int p = SuperblockLayout.FIRST_DATA_PAGE; p < pages && damaged < 0; p++) {
      ByteBuffer page = readPage(file, p);
      if (page.get(PageLayout.TYPE_OFFSET) == PageLayout.TYPE_PACKED_LEAF) {
        int prefix = Short.toUnsignedInt(page.getShort(PageLayout.HEADER_SIZE));
        // The first entry's suffix length: a one-byte varint made to run past the page.
        page.put(PageLayout.HEADER_SIZE + PackedLeafLayout.HEADER + prefix + 1, (byte) 0x7F);
        page.putInt(PageLayout.CRC_OFFSET, PageLayout.checksum(page));
        writePage(file, p, page);
        damaged = p;
      }
    }
    assertTrue(damaged > 0, "a packed leaf found");
    try (PagedStore store = PagedStore.open(NioFileIo.INSTANCE, file, StoreOptions.defaults())) {
      CorruptionException e =
          assertThrows(
              CorruptionException.class,
              () -> StoreAsserts.drain(store.scan(KeyRange.ALL, false, 1 << 20)));
      assertTrue(e.getMessage().contains("page " + damaged), e.getMessage());
    }
  }

  /** Rewrites every packed leaf of a closed store file as a plain (version 1) leaf. */
  private static int rewriteAsVersion1(Path file) throws IOException {
    int pages = (int) (Files.size(file) / PageLayout.PAGE_SIZE);
    int converted = 0;
    for (int p = SuperblockLayout.FIRST_DATA_PAGE; p < pages; p++) {
      ByteBuffer page = readPage(file, p);
      if (PageLayout.verify(page, p, PageLayout.TYPE_TREE_NODE) != null
          || page.get(PageLayout.TYPE_OFFSET) != PageLayout.TYPE_PACKED_LEAF) {
        continue; // free pages, branches
      }
      String[] problem = new String[1];
      LeafNode leaf = PackedLeafLayout.decode(page, p, problem);
      assertNull(problem[0]);
      assertTrue(leaf.bytes <= PageLayout.BODY_SIZE, "plain form fits");
      ByteBuffer plain = PageLayout.allocate();
      plain.put(PageLayout.HEADER_SIZE, leaf.data, 0, leaf.bytes);
      long generation = page.getLong(PageLayout.GENERATION_OFFSET);
      PageLayout.seal(plain, PageLayout.TYPE_LEAF, leaf.count, p, generation, leaf.bytes, 0);
      plain.put(PageLayout.FORMAT_OFFSET, PageLayout.FORMAT);
      writePage(file, p, plain);
      converted++;
    }
    for (int slot = 0; slot < SuperblockLayout.SLOTS; slot++) {
      ByteBuffer page = readPage(file, slot);
      page.putInt(SuperblockLayout.VERSION_OFFSET, 1);
      page.putInt(PageLayout.CRC_OFFSET, PageLayout.checksum(page));
      writePage(file, slot, page);
    }
    return converted;
  }

  private static ByteBuffer readPage(Path file, int page) throws IOException {
    ByteBuffer buffer = PageLayout.allocate();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.read(buffer, (long) page * PageLayout.PAGE_SIZE);
    }
    return buffer.clear();
  }

  private static void writePage(Path file, int page, ByteBuffer buffer) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(buffer.clear(), (long) page * PageLayout.PAGE_SIZE);
    }
  }
}
