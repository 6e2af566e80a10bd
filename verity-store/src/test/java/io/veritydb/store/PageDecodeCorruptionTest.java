package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileIo;
import io.veritydb.io.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.file.Path;
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
}
