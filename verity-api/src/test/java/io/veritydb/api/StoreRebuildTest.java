package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store file whose superblocks are damaged is kept aside and rebuilt from the log. */
class StoreRebuildTest {
  @TempDir Path dir;

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
