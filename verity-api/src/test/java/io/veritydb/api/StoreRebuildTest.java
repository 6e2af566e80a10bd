package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.io.HeldLock;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store file is kept aside and rebuilt from the log: at once when open finds its
 * superblocks damaged or a page fails its checks during the replay, at the next open when a query
 * or an apply finds a damaged page.
 */
class StoreRebuildTest {
  private static final String INSERT = "INSERT INTO p (id, name) VALUES (?, ?)";

  @TempDir Path dir;

  /**
   * The real disk whose directory lock is always free, so that a database left open stands for a
   * crashed process (whose lock the operating system released) and a second open recovers it.
   */
  private static final FileIo DISK =
      new ForwardingFileIo(NioFileIo.INSTANCE) {
        @Override
        public HeldLock lock(Path file, HeldLock.Mode mode) {
          return new HeldLock() {
            @Override
            public Path file() {
              return file;
            }

            @Override
            public void close() {}
          };
        }
      };

  private static Verity open(Path dir) {
    return Verity.builder(dir).fileIo(DISK).checkpointEvery(Long.MAX_VALUE / 4).open();
  }

  private static String name(long id) {
    return "patient-name-" + id + "-end";
  }

  private static void insert(TenantHandle t, long from, long to) {
    List<Object[]> rows = new ArrayList<>();
    for (long id = from; id < to; id++) {
      rows.add(new Object[] {id, name(id)});
    }
    t.executeBatch(INSERT, rows);
  }

  /** Flips one byte of the store page that holds {@code id}'s row; that page's number. */
  private static long damagePageHolding(Path store, long id) throws IOException {
    byte[] bytes = Files.readAllBytes(store);
    byte[] needle = name(id).getBytes(StandardCharsets.UTF_8);
    for (int page = 2; page < bytes.length / 4096; page++) {
      int from = page * 4096;
      for (int i = from; i + needle.length <= from + 4096; i++) {
        if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
          bytes[from + 2048] ^= 0x10;
          Files.write(store, bytes);
          return page;
        }
      }
    }
    throw new AssertionError("no page holds row " + id);
  }

  private static void checkRebuilt(Path dir, long rows) {
    try (Verity db = open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      assertEquals(rows, t.query("SELECT id FROM p").size());
      for (long id = 0; id < rows; id += 97) {
        assertEquals(name(id), t.query("SELECT name FROM p WHERE id = ?", id).get(0).get("name"));
      }
    }
    assertTrue(Files.exists(dir.resolve("store").resolve("projection.db.corrupt-1")));
    assertFalse(Files.exists(dir.resolve("store").resolve("projection.db.damaged")));
  }

  @Test
  void shouldRebuildAtTheNextOpenAStoreWhosePageAQueryFoundDamaged() throws IOException {
    try (Verity db = open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT)");
      insert(t, 0, 3000);
    }
    long page = damagePageHolding(dir.resolve("store").resolve("projection.db"), 1500);
    try (Verity db = open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      CorruptionException e =
          assertThrows(
              CorruptionException.class, () -> t.query("SELECT name FROM p WHERE id = 1500"));
      assertTrue(e.getMessage().contains("page " + page), e.getMessage());
      // Writes stop too: the store is read-only once it found damage. The command reached the
      // log before its apply failed, so the rebuilt store has it.
      VerityException stopped = assertThrows(VerityException.class, () -> insert(t, 3000, 3001));
      assertTrue(stopped.getMessage().contains("page " + page), stopped.getMessage());
    }
    String marker = Files.readString(dir.resolve("store").resolve("projection.db.damaged"));
    assertTrue(marker.contains("page " + page), marker);
    checkRebuilt(dir, 3001);
  }

  @Test
  void shouldRebuildAtOnceAStoreWhosePageTheReplayFoundDamaged() throws IOException {
    try (Verity db = open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT)");
      insert(t, 0, 3000);
    }
    // A crash: the log holds 3000..3200, the store's last flush does not.
    Verity crashed = open(dir);
    insert(crashed.tenant(TenantId.of(1)), 3000, 3200);
    damagePageHolding(dir.resolve("store").resolve("projection.db"), 2999);
    checkRebuilt(dir, 3200);
  }

  @Test
  void shouldKeepADamagedStoreAsideAndRebuildItFromTheLog() throws IOException {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT)");
      for (long id = 0; id < 50; id++) {
        t.execute("INSERT INTO p VALUES (?, ?)", id, "n" + id);
      }
      t.execute("UPDATE p SET name = 'changed' WHERE id = 7");
    }
    Path store = dir.resolve("store").resolve("projection.db");
    byte[] bytes = Files.readAllBytes(store);
    Arrays.fill(bytes, 0, 2 * 4096, (byte) 0x5A); // both superblock slots
    Files.write(store, bytes);

    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      assertEquals(50, t.query("SELECT id FROM p").size());
      assertEquals("changed", t.query("SELECT name FROM p WHERE id = 7").get(0).getString("name"));
      assertEquals(2, t.history("p", 7L).size());
    }
    Path aside = dir.resolve("store").resolve("projection.db.corrupt-1");
    assertTrue(Files.exists(aside), "the damaged file is kept");
    assertTrue(Arrays.equals(bytes, Files.readAllBytes(aside)), "kept as it was");
    VerificationReport report = Verity.verify(dir, null, (what, n) -> {});
    assertTrue(report.ok(), report.toString());
  }
}
