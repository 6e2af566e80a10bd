package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ClosedException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerityEndToEndTest {
  private static final String CREATE =
      "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, ward INT,"
          + " balance DECIMAL(10,2), admitted TIMESTAMP, active BOOLEAN, photo BYTES)";

  @TempDir Path dir;

  @Test
  void shouldWriteQueryAndTravelBackInTime() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute(CREATE);
      t.execute("CREATE INDEX patients_ward ON patients (ward)");
      Instant admitted = Instant.parse("2026-01-02T03:04:05.123456Z");
      ExecuteResult first =
          t.execute(
              "INSERT INTO patients (id, name, ward, balance, admitted, active, photo)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)",
              1L,
              "Ada",
              3,
              new BigDecimal("12.50"),
              admitted,
              true,
              new byte[] {1, 2, 3});
      assertEquals(1, first.rowsAffected());
      ExecuteResult update = t.execute("UPDATE patients SET name = ? WHERE id = ?", "Ada L.", 1L);
      assertEquals(1, update.rowsAffected());
      assertTrue(update.position().isAfter(first.position()));

      Row now = t.query("SELECT * FROM patients WHERE id = ?", 1L).get(0);
      assertEquals("Ada L.", now.getString("name"));
      assertEquals(3, now.getInt("ward"));
      assertEquals(3L, now.getLong("ward"));
      assertEquals(0, new BigDecimal("12.50").compareTo(now.getDecimal("balance")));
      assertEquals(admitted, now.getTimestamp("admitted"));
      assertTrue(now.getBoolean("active"));
      assertArrayEquals(new byte[] {1, 2, 3}, now.getBytes("photo"));

      Rows then =
          t.queryAt(first.position(), "SELECT name FROM patients WHERE ward IN (?, ?)", 3, 4);
      assertEquals(List.of("name"), then.columnNames());
      assertEquals("Ada", then.get(0).getString(0));
      assertEquals(first.position(), then.position());

      ExecuteResult delete = t.execute("DELETE FROM patients WHERE id = ?", 1L);
      assertEquals(1, delete.rowsAffected());
      assertEquals(0, t.query("SELECT * FROM patients").size());
      assertEquals(1, t.queryAt(update.position(), "SELECT * FROM patients").size());
    }
  }

  @Test
  void shouldKeepEverythingAcrossReopen() {
    LogPosition last;
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(7));
      t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)");
      List<Object[]> rows = new ArrayList<>();
      for (long i = 0; i < 1000; i++) {
        rows.add(new Object[] {i, "v" + i});
      }
      ExecuteResult batch = t.executeBatch("INSERT INTO t (id, v) VALUES (?, ?)", rows);
      assertEquals(1000, batch.rowsAffected());
      last = db.lastPosition();
      assertEquals(batch.position(), last);
    }
    try (Verity db = Verity.open(dir)) {
      assertEquals(last, db.lastPosition());
      TenantHandle t = db.tenant(TenantId.of(7));
      assertEquals(1000, t.query("SELECT id FROM t").size());
      assertEquals("v999", t.query("SELECT v FROM t WHERE id = ?", 999L).get(0).getString("v"));
      assertEquals(
          List.of(0L, 1L, 2L), collectIds(t.query("SELECT id FROM t WHERE id < 3 ORDER BY id")));
    }
  }

  @Test
  void shouldIsolateTenants() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle a = db.tenant(TenantId.of(1));
      TenantHandle b = db.tenant(TenantId.of(2));
      a.execute("CREATE TABLE secrets (id BIGINT PRIMARY KEY, v TEXT)");
      a.execute("INSERT INTO secrets (id, v) VALUES (1, 'a-only')");
      BadRequestException e =
          assertThrows(BadRequestException.class, () -> b.query("SELECT * FROM secrets"));
      assertTrue(e.getMessage().contains("secrets"), e.getMessage());
      b.execute("CREATE TABLE secrets (id BIGINT PRIMARY KEY, v TEXT)");
      assertEquals(0, b.query("SELECT * FROM secrets").size());
      assertEquals(0, b.execute("DELETE FROM secrets WHERE id = 1").rowsAffected());
      assertEquals(1, a.query("SELECT * FROM secrets").size());
    }
  }

  @Test
  void shouldShareFsyncsAcrossConcurrentWriters() throws Exception {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE c (id BIGINT PRIMARY KEY, v INT)");
      List<CompletableFuture<ExecuteResult>> futures = new ArrayList<>();
      for (long i = 0; i < 500; i++) {
        futures.add(t.executeAsync("INSERT INTO c (id, v) VALUES (?, ?)", i, (int) i));
      }
      List<LogPosition> positions = new ArrayList<>();
      for (CompletableFuture<ExecuteResult> f : futures) {
        positions.add(f.get().position());
      }
      assertEquals(500, positions.stream().distinct().count());
      assertEquals(500, t.query("SELECT id FROM c").size());
    }
  }

  @Test
  void shouldReportEveryKindOfBadRequestClearly() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(5) NOT NULL, d DECIMAL(4,2))");
      t.execute("INSERT INTO p (id, name) VALUES (1, 'a')");
      LogPosition before = db.lastPosition();

      assertMessage(BadRequestException.class, () -> t.execute("INSERT INTO p VALUES ("), "");
      assertMessage(
          BadRequestException.class,
          () -> t.query("SELECT * FROM p JOIN q ON p.id = q.id"),
          "JOIN");
      assertMessage(BadRequestException.class, () -> t.query("SELECT count(*) FROM p"), "");
      assertMessage(BadRequestException.class, () -> t.query("SELECT * FROM nope"), "nope");
      assertMessage(BadRequestException.class, () -> t.query("SELECT missing FROM p"), "missing");
      assertMessage(
          BadRequestException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", "x", "y"),
          "");
      assertMessage(
          BadRequestException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 2L),
          "");
      assertMessage(BadRequestException.class, () -> t.execute("SELECT * FROM p"), "query()");
      assertMessage(
          BadRequestException.class, () -> t.query("DELETE FROM p WHERE id = 1"), "execute()");
      assertEquals(before, db.lastPosition(), "bad requests must not reach the log");

      assertMessage(
          ConstraintViolationException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (1, 'b')"),
          "1");
      assertMessage(
          ConstraintViolationException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 3L, null),
          "name");
      assertMessage(
          ConstraintViolationException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 4L, "toolong"),
          "name");
      assertMessage(
          ConstraintViolationException.class,
          () ->
              t.execute(
                  "INSERT INTO p (id, name, d) VALUES (?, ?, ?)", 5L, "x", new BigDecimal("123.4")),
          "d");
      assertMessage(
          BadRequestException.class,
          () -> t.queryAt(LogPosition.of(db.lastPosition().value() + 10), "SELECT * FROM p"),
          "position");
      assertEquals(1, t.query("SELECT * FROM p").size());
    }
  }

  @Test
  void shouldRefuseEverythingAfterClose() {
    Verity db = Verity.open(dir);
    TenantHandle t = db.tenant(TenantId.of(1));
    t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY)");
    db.close();
    db.close();
    assertThrows(ClosedException.class, () -> t.execute("INSERT INTO p (id) VALUES (1)"));
    assertThrows(ClosedException.class, () -> t.query("SELECT * FROM p"));
  }

  @Test
  void shouldRefuseASecondOpenOfTheSameDirectory() {
    try (Verity db = Verity.open(dir)) {
      UnavailableException e = assertThrows(UnavailableException.class, () -> Verity.open(dir));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
      assertFalse(db.lastPosition().isAfter(LogPosition.NONE));
    }
  }

  @Test
  void shouldExplainThePlan() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, ward INT)");
      t.execute("CREATE INDEX p_ward ON p (ward)");
      Rows plan = t.query("EXPLAIN SELECT * FROM p WHERE ward = 3");
      assertTrue(plan.size() >= 1);
      assertTrue(plan.toString().length() > 0);
      String text = plan.get(0).values().toString();
      assertTrue(text.toLowerCase(java.util.Locale.ROOT).contains("p_ward"), text);
      assertNull(null);
    }
  }

  private static List<Long> collectIds(Rows rows) {
    List<Long> ids = new ArrayList<>();
    for (Row row : rows) {
      ids.add(row.getLong("id"));
    }
    return ids;
  }

  private static void assertMessage(
      Class<? extends RuntimeException> type,
      org.junit.jupiter.api.function.Executable call,
      String fragment) {
    RuntimeException e = assertThrows(type, call);
    assertTrue(
        e.getMessage() != null && e.getMessage().contains(fragment),
        "message should mention '" + fragment + "': " + e.getMessage());
  }
}
