package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.Mutations;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets of the store file's decoders: superblocks, free-list pages, leaves (packed and
 * plain), branches and overflow pages. Through {@link PagedStore#open} on {@link SimFileIo}: every
 * read the store offers, then a write, a purge and a checkpoint (which copy the pages on their
 * paths) and the reads again after a reopen. The input is a valid store file (leaves under
 * branches, overflow values, history, a free list) with one page mutated, its checksum recomputed
 * after the mutation in most tries so that the damage reaches the decoders behind it, or the whole
 * file mutated (truncated, extended). Every open, read and write ends in data or in a {@link
 * CorruptionException} naming the store file: never another exception, never a hang. And each page
 * decoder on its own, on one mutated page.
 */
class PagedStoreFuzzTest {
  private static final Path FILE = Path.of("/fuzz/store/projection.db");
  private static final Duration TIME_LIMIT = Duration.ofSeconds(20);
  private static final int KEYS = 400;
  private static final byte[] VALID = build();
  private static final int PAGES = VALID.length / PageLayout.PAGE_SIZE;

  private static byte[] key(int i) {
    return ("key-" + (i * 7919 % 10007)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(int i, int version) {
    byte[] v = new byte[i % 61 == 0 ? 5000 : 10 + i % 40];
    Arrays.fill(v, (byte) (i + version));
    return v;
  }

  private static StoreOptions options() {
    return StoreOptions.defaults().withCompactOnClose(false);
  }

  /** Inserts, updates and deletes over three checkpoints, so that the file has a free list. */
  private static byte[] build() {
    SimFileIo io = new SimFileIo(7);
    io.createDirectories(FILE.getParent());
    try (PagedStore store = PagedStore.open(io, FILE, options())) {
      long position = 0;
      for (int i = 0; i < KEYS; i++) {
        store.apply(LogPosition.of(++position), new WriteBatch().put(key(i), value(i, 0)));
        if (i == KEYS / 2) {
          store.flush();
        }
      }
      store.flush();
      for (int i = 0; i < KEYS / 4; i++) {
        WriteBatch batch =
            i % 3 == 0
                ? new WriteBatch().delete(key(i * 4))
                : new WriteBatch().put(key(i * 4), value(i, 1));
        store.apply(LogPosition.of(++position), batch);
      }
    }
    try (FileHandle h = io.open(FILE, FileIo.Mode.READ)) {
      byte[] b = new byte[(int) h.size()];
      h.read(ByteBuffer.wrap(b), 0);
      return b;
    }
  }

  /** One page mutated (its checksum recomputed when {@code reseal}), or the whole file. */
  private record Damage(int page, boolean wholeFile, boolean reseal, List<Mutations.Step> steps) {
    byte[] apply() {
      if (wholeFile) {
        return Mutations.apply(VALID, steps, List.of());
      }
      byte[] file = VALID.clone();
      int at = (page % PAGES) * PageLayout.PAGE_SIZE;
      byte[] mutated =
          Mutations.apply(
              Arrays.copyOfRange(file, at, at + PageLayout.PAGE_SIZE), steps, List.of());
      byte[] page = Arrays.copyOf(mutated, PageLayout.PAGE_SIZE);
      if (reseal) {
        ByteBuffer buffer = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(PageLayout.CRC_OFFSET, PageLayout.checksum(buffer));
      }
      System.arraycopy(page, 0, file, at, PageLayout.PAGE_SIZE);
      return file;
    }
  }

  @Provide
  Arbitrary<Damage> damage() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.of(false, false, false, true),
            Arbitraries.of(true, true, true, false),
            Mutations.steps().list().ofMinSize(1).ofMaxSize(4))
        .as(Damage::new);
  }

  @Property(tries = 2000)
  void storeOpensAndReadsOrIsCorruptionNamingTheFile(@ForAll("damage") Damage damage) {
    byte[] file = damage.apply();
    SimFileIo io = new SimFileIo(1);
    io.createDirectories(FILE.getParent());
    try (FileHandle h = io.open(FILE, FileIo.Mode.CREATE)) {
      h.write(ByteBuffer.wrap(file), 0);
    }
    assertTimeoutPreemptively(
        TIME_LIMIT,
        () -> {
          openAndReadAll(io);
          if (writeAndCheckpoint(io)) {
            openAndReadAll(io);
          }
        });
  }

  private static void assertNamesFile(CorruptionException e) {
    assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
  }

  private static void openAndReadAll(SimFileIo io) {
    PagedStore store;
    try {
      store = PagedStore.open(io, FILE, options());
    } catch (CorruptionException e) {
      assertNamesFile(e);
      return;
    }
    try (store) {
      LogPosition now = store.position();
      LogPosition past = LogPosition.of(Math.min(now.value(), KEYS / 2));
      for (int i = 0; i < KEYS; i += 7) {
        byte[] k = key(i);
        read(() -> store.get(k));
        read(() -> store.getAt(k, past));
        read(
            () -> {
              LogPosition at = now;
              for (int n = 0; n < 4 && at != null && at.value() > 0; n++) {
                LogPosition version = store.versionAt(k, at);
                // A page mutated with its checksum recomputed may hold a version at position 0:
                // data, if wrong; there is no earlier version to look for.
                at =
                    version == null || version.value() == 0
                        ? null
                        : LogPosition.of(version.value() - 1);
              }
              return at;
            });
      }
      read(() -> StoreAsserts.drain(store.scan(KeyRange.ALL, false, Integer.MAX_VALUE)));
      read(() -> StoreAsserts.drain(store.scan(KeyRange.ALL, true, Integer.MAX_VALUE)));
      read(() -> StoreAsserts.drain(store.scanAt(KeyRange.ALL, past, false, Integer.MAX_VALUE)));
      read(
          () ->
              StoreAsserts.drain(
                  store.scan(KeyRange.prefix("key-5".getBytes(StandardCharsets.UTF_8)), true, 20)));
    }
  }

  /**
   * On a fresh open: a write, a purge and a checkpoint, which read and copy the pages on their
   * paths. Returns whether all succeeded; the first failure must be corruption naming the file.
   */
  private static boolean writeAndCheckpoint(SimFileIo io) {
    try (PagedStore store = PagedStore.open(io, FILE, options())) {
      long next = store.position().value() + 1;
      store.apply(
          LogPosition.of(next),
          new WriteBatch().put(key(3), new byte[3000]).delete(key(8)).put(key(9), value(9, 5)));
      store.purge(KeyRange.prefix("key-1".getBytes(StandardCharsets.UTF_8)));
      store.flush();
      return true;
    } catch (CorruptionException e) {
      assertNamesFile(e);
      return false;
    }
  }

  /**
   * Runs one read: it returns data or fails with corruption naming the file (or, for a read at a
   * past position, the refusal of history that the superblock says is pruned).
   */
  private static void read(Supplier<?> read) {
    try {
      Object unused = read.get();
    } catch (CorruptionException e) {
      assertNamesFile(e);
    } catch (BadRequestException e) {
      assertTrue(e.getMessage().contains("is no longer retained"), e.getMessage());
    }
  }

  /**
   * A leaf (page 12, checksum recomputed) whose keys no longer follow those of its left sibling:
   * the purge merges the two, which must report corruption rather than merge them out of order.
   */
  @Example
  void mergingALeafWhoseKeysDoNotFollowItsLeftSiblingIsCorruption() {
    storeOpensAndReadsOrIsCorruptionNamingTheFile(
        new Damage(12, false, true, List.of(new Mutations.Step(Mutations.Kind.FLIP_BIT, 50, 7))));
  }

  /**
   * Each page decoder on its own: a page of the valid file, mutated and resealed, then verified and
   * decoded as the type its header names; a decoded node's entries are all readable.
   */
  @Property(tries = 5000)
  void pageDecodesOrNamesItsProblem(@ForAll("damage") Damage damage) {
    int number = damage.page() % PAGES;
    byte[] file = new Damage(number, false, true, damage.steps()).apply();
    ByteBuffer page =
        ByteBuffer.wrap(
                Arrays.copyOfRange(
                    file, number * PageLayout.PAGE_SIZE, (number + 1) * PageLayout.PAGE_SIZE))
            .order(ByteOrder.LITTLE_ENDIAN);
    byte type = page.get(PageLayout.TYPE_OFFSET);
    if (PageLayout.verify(page, number, type) != null) {
      return;
    }
    String[] problem = new String[1];
    Node node =
        switch (type) {
          case PageLayout.TYPE_LEAF -> LeafLayout.decode(page, number, problem);
          case PageLayout.TYPE_PACKED_LEAF -> PackedLeafLayout.decode(page, number, problem);
          case PageLayout.TYPE_BRANCH -> BranchLayout.decode(page, number, problem);
          case PageLayout.TYPE_OVERFLOW -> OverflowLayout.decode(page, number);
          default -> null;
        };
    if (type == PageLayout.TYPE_SUPERBLOCK) {
      SuperblockLayout.decode(page, problem);
    }
    if (node instanceof LeafNode leaf) {
      for (int i = 0; i < leaf.count; i++) {
        leaf.key(i);
        leaf.value(i);
        leaf.position(i);
        leaf.packedEntrySize(i);
      }
      leaf.packedSize();
    } else if (node instanceof BranchNode branch) {
      for (int i = 0; i < branch.count; i++) {
        branch.childFor(branch.keys[i], branch.positions[i]);
      }
    }
  }

  /** Keeps the static file's size in view: the target is only as good as the file is varied. */
  @Test
  void validFileHasTreeOverflowAndFreeListPages() {
    List<Byte> types = new ArrayList<>();
    for (int p = 0; p < PAGES; p++) {
      types.add(VALID[p * PageLayout.PAGE_SIZE + PageLayout.TYPE_OFFSET]);
    }
    assertTrue(types.contains(PageLayout.TYPE_BRANCH), types.toString());
    assertTrue(types.contains(PageLayout.TYPE_PACKED_LEAF), types.toString());
    assertTrue(types.contains(PageLayout.TYPE_OVERFLOW), types.toString());
    assertTrue(types.contains(PageLayout.TYPE_FREE_LIST), types.toString());
  }
}
