package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.store.SuperblockLayout.Superblock;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Store file shapes that {@link PagedStoreFuzzTest} found, each read to a {@link
 * CorruptionException} naming the store file.
 */
class PageDecodeCorruptionTest {
  private static final Path FILE = Path.of("/fuzz/store/projection.db");

  private static SimFileIo storeWithOneKey() {
    SimFileIo io = new SimFileIo(3);
    io.createDirectories(FILE.getParent());
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      store.apply(LogPosition.of(1), new WriteBatch().put(new byte[] {1}, new byte[] {2}));
    }
    return io;
  }

  private static void assertCorruptionNamingTheFile(Runnable read) {
    CorruptionException e = assertThrows(CorruptionException.class, read::run);
    assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
  }

  @Test
  void aNegativePageReferenceIsCorruption() {
    PageFile file = new PageFile(storeWithOneKey().open(FILE, FileIo.Mode.READ), FILE);
    assertCorruptionNamingTheFile(() -> file.readNode(-1));
    assertCorruptionNamingTheFile(() -> file.readOverflow(Integer.MIN_VALUE));
    assertCorruptionNamingTheFile(() -> file.read(-2, PageLayout.TYPE_FREE_LIST));
  }

  /** A store of keys "key-0000".."key-1999" in many leaves under one or more branches. */
  private static SimFileIo storeOfManyKeys() {
    SimFileIo io = new SimFileIo(4);
    io.createDirectories(FILE.getParent());
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      for (int i = 0; i < 2000; i++) {
        byte[] key = String.format("key-%04d", i).getBytes(StandardCharsets.UTF_8);
        store.apply(LogPosition.of(i + 1), new WriteBatch().put(key, new byte[20]));
      }
    }
    return io;
  }

  /** Rewrites a page in place with its checksum recomputed: damage that every page check passes. */
  private static void rewritePage(
      SimFileIo io, int page, java.util.function.Consumer<ByteBuffer> edit) {
    try (FileHandle h = io.open(FILE, FileIo.Mode.WRITE)) {
      ByteBuffer buffer = PageLayout.allocate();
      h.read(buffer, (long) page * PageLayout.PAGE_SIZE);
      edit.accept(buffer);
      buffer.putInt(PageLayout.CRC_OFFSET, PageLayout.checksum(buffer));
      buffer.clear();
      h.write(buffer, (long) page * PageLayout.PAGE_SIZE);
    }
  }

  /** The page of the leaf holding the greatest key. */
  private static int lastLeaf(SimFileIo io) {
    try (FileHandle h = io.open(FILE, FileIo.Mode.READ)) {
      PageFile file = new PageFile(h, FILE);
      for (int page = SuperblockLayout.FIRST_DATA_PAGE; page < file.sizeInPages(); page++) {
        ByteBuffer header = PageLayout.allocate();
        if (file.readInto(header, page, PageLayout.TYPE_PACKED_LEAF) == null
            && file.readNode(page) instanceof LeafNode leaf
            && Arrays.equals(
                leaf.key(leaf.count - 1), "key-1999".getBytes(StandardCharsets.UTF_8))) {
          return page;
        }
      }
    }
    throw new AssertionError("no leaf holds key-1999");
  }

  @Test
  void aLeafWhoseKeysSortBeforeItsSeparatorIsCorruptionNotAnEndlessScan() {
    SimFileIo io = storeOfManyKeys();
    // The last leaf's shared key prefix "key-" becomes "ke\u0007-": its keys now sort before those
    // of every other leaf, and the branch above still sends them right.
    rewritePage(
        io,
        lastLeaf(io),
        page -> page.put(PageLayout.HEADER_SIZE + PackedLeafLayout.HEADER + 2, (byte) 7));
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () ->
              assertCorruptionNamingTheFile(
                  () -> StoreAsserts.drain(store.scan(KeyRange.ALL, false, Integer.MAX_VALUE))));
    }
  }

  @Test
  void aBranchThatRefersBackUpTheTreeIsCorruption() {
    SimFileIo io = storeOfManyKeys();
    int root;
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      root = store.rootPage();
    }
    rewritePage(io, root, page -> page.putInt(PageLayout.HEADER_SIZE, root)); // its first child
    byte[] first = "key-0000".getBytes(StandardCharsets.UTF_8);
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertCorruptionNamingTheFile(
          () -> store.apply(LogPosition.of(2001), new WriteBatch().put(first, new byte[1])));
    }
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertCorruptionNamingTheFile(() -> store.get(first));
    }
    try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
      assertCorruptionNamingTheFile(
          () -> StoreAsserts.drain(store.scan(KeyRange.ALL, false, Integer.MAX_VALUE)));
    }
  }

  @Test
  void anOverflowReferenceWithANegativeOrHugeLengthIsCorruption() {
    for (int length : new int[] {-1, Integer.MAX_VALUE}) {
      SimFileIo io = new SimFileIo(5);
      io.createDirectories(FILE.getParent());
      byte[] key = {1};
      int root;
      try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
        store.apply(LogPosition.of(1), new WriteBatch().put(key, new byte[5000]));
        store.flush();
        root = store.rootPage();
      }
      // The root is the only leaf; its one entry's value is (first page, length 5000 = 0x1388).
      rewritePage(
          io,
          root,
          page -> {
            for (int at = PageLayout.HEADER_SIZE; at + 4 <= PageLayout.PAGE_SIZE; at++) {
              if (page.getInt(at) == 5000) {
                page.putInt(at, length);
                return;
              }
            }
            throw new AssertionError("no overflow reference in page " + root);
          });
      try (PagedStore store = PagedStore.open(io, FILE, StoreOptions.defaults())) {
        assertCorruptionNamingTheFile(() -> store.get(key));
      }
    }
  }

  /** Replaces the newest superblock with {@code edit} of it, checksum and all. */
  private static Superblock editNewestSuperblock(
      SimFileIo io, java.util.function.UnaryOperator<Superblock> edit) {
    Superblock newest;
    try (FileHandle h = io.open(FILE, FileIo.Mode.READ)) {
      newest = Superblocks.loadNewest(new PageFile(h, FILE));
    }
    Superblock edited = edit.apply(newest);
    rewritePage(
        io,
        SuperblockLayout.slotOf(newest.generation()),
        page -> {
          SuperblockLayout.encode(edited, page);
        });
    return newest;
  }

  @Test
  void aSuperblockCountingFarMorePagesThanTheFileAndItsFreeListHoldIsCorruption() {
    SimFileIo io = storeOfManyKeys();
    editNewestSuperblock(
        io,
        s ->
            new Superblock(
                s.generation(),
                s.applied(),
                s.root(),
                1_500_000_000,
                s.freeHead(),
                s.freePages(),
                s.freeCount(),
                s.prunedBelow()));
    assertCorruptionNamingTheFile(() -> PagedStore.open(io, FILE, StoreOptions.defaults()).close());
  }

  @Test
  void aFreeListThatComesBackToItselfIsCorruptionNotAnEndlessLoop() {
    SimFileIo io = storeOfManyKeys();
    Superblock original = editNewestSuperblock(io, s -> s);
    int head = original.freeHead();
    assertTrue(original.freePages() > 0, original.toString());
    rewritePage(
        io,
        head,
        page -> {
          page.putShort(PageLayout.COUNT_OFFSET, (short) 0);
          page.putInt(PageLayout.USED_OFFSET, 0);
          page.putInt(PageLayout.LINK_OFFSET, head);
        });
    for (int listPages : new int[] {2, Integer.MAX_VALUE}) {
      editNewestSuperblock(
          io,
          s ->
              new Superblock(
                  s.generation(),
                  s.applied(),
                  s.root(),
                  s.pageCount(),
                  head,
                  listPages,
                  0,
                  s.prunedBelow()));
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () ->
              assertCorruptionNamingTheFile(
                  () -> PagedStore.open(io, FILE, StoreOptions.defaults()).close()));
    }
  }
}
