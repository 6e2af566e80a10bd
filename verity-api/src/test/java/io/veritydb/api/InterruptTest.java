package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications interrupt their threads (Future.cancel(true), shutdownNow, request timeouts). A
 * query reads the store file on the caller's thread; an interrupt used to close that file's channel
 * for everyone, after which every query and write failed with "the file handle is closed".
 */
class InterruptTest {
  @TempDir Path dir;

  @Test
  void shouldOpenANewDatabaseOnAnInterruptedThread() {
    Thread.currentThread().interrupt();
    try (Verity db = Verity.open(dir)) {
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY)");
      t.execute("INSERT INTO p (id) VALUES (?)", 1L);
    } finally {
      Thread.interrupted();
    }
    try (Verity db = Verity.open(dir)) {
      assertEquals(1, db.tenant(TenantId.of(1)).query("SELECT * FROM p").size());
    }
  }

  @Test
  void shouldAnswerQueriesAndWritesOnAnInterruptedThreadAndKeepWorking() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(64))");
      List<Object[]> rows = new ArrayList<>();
      for (long i = 0; i < 20_000; i++) {
        rows.add(new Object[] {i, "name-" + i});
      }
      for (int b = 0; b < rows.size(); b += 1000) {
        t.executeBatch("INSERT INTO p (id, name) VALUES (?, ?)", rows.subList(b, b + 1000));
      }
    }
    try (Verity db = Verity.open(dir)) { // a cold page cache: the query reads the store file
      TenantHandle t = db.tenant(TenantId.of(1));
      Thread.currentThread().interrupt();
      try {
        assertEquals(1, t.query("SELECT * FROM p WHERE id = ?", 12_345L).size());
        assertEquals(
            1, t.execute("INSERT INTO p (id, name) VALUES (?, ?)", -1L, "x").rowsAffected());
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
      } finally {
        Thread.interrupted();
      }
      assertEquals(1, t.query("SELECT * FROM p WHERE id = ?", 7L).size());
      t.execute("INSERT INTO p (id, name) VALUES (?, ?)", -2L, "y");
      assertEquals(20_002, t.query("SELECT id FROM p").size());
    }
    try (Verity db = Verity.open(dir)) {
      assertEquals(20_002, db.tenant(TenantId.of(1)).query("SELECT id FROM p").size());
    }
  }
}
