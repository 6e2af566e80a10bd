package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that the data forbids (NULL into NOT NULL, a value too long, out of range or too precise)
 * is a command in the log: rejected by the kernel when applied, with its own position and audit
 * entry, exactly like a duplicate key. A request that could not be a command at all (unknown
 * column, wrong parameter count, a value of the wrong type) is refused before the log.
 */
class RejectionAuditTest {
  private static final TenantId TENANT = TenantId.of(1);

  @TempDir Path dir;

  private static final String SCHEMA =
      "CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(5) NOT NULL, ward INT,"
          + " price DECIMAL(5,2))";

  private static TenantHandle setUp(Verity db) {
    TenantHandle t = db.tenant(TENANT, "alice");
    t.execute(SCHEMA);
    t.execute("INSERT INTO p (id, name, ward, price) VALUES (1, 'Ada', 3, 1.50)");
    return t;
  }

  /**
   * Runs {@code write}, which must fail with {@code message}, and checks that it took exactly one
   * position whose audit entry is a rejection for that reason; returns that position.
   */
  private static long rejectedAndAudited(
      Verity db, TenantHandle t, Executable write, String message) {
    long before = db.lastPosition().value();
    ConstraintViolationException e = assertThrows(ConstraintViolationException.class, write);
    assertEquals(message, e.getMessage());
    long position = before + 1;
    assertEquals(position, db.lastPosition().value(), "the rejected command has a position");
    List<AuditEntry> trail = t.auditTrail(LogPosition.of(position), LogPosition.of(position));
    assertEquals(1, trail.size(), trail.toString());
    AuditEntry entry = trail.get(0);
    assertEquals(position, entry.position().value());
    assertEquals("alice", entry.actor());
    assertEquals("rejected", entry.outcome());
    assertEquals(0, entry.rowsAffected());
    assertEquals(message, entry.reason());
    return position;
  }

  private static List<List<Object>> rows(TenantHandle t) {
    List<List<Object>> out = new ArrayList<>();
    for (Row row : t.query("SELECT id, name, ward, price FROM p ORDER BY id")) {
      out.add(row.values());
    }
    return out;
  }

  private static final List<List<Object>> ONLY_ADA =
      List.of(List.of(1L, "Ada", 3, new BigDecimal("1.50")));

  @Test
  void shouldLogAndAuditNullIntoNotNull() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 2L, null),
          "NULL in NOT NULL column name of table p");
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("INSERT INTO p (id, name) VALUES (2, NULL)"),
          "NULL in NOT NULL column name of table p");
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("INSERT INTO p (id, name) VALUES (NULL, 'x')"),
          "NULL in NOT NULL column id of table p");
      assertEquals(ONLY_ADA, rows(t));
    }
  }

  @Test
  void shouldLogAndAuditAValueTooLongForItsVarchar() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      String message = "value too long for VARCHAR(5) column name of table p: 7 characters";
      rejectedAndAudited(
          db, t, () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 2L, "toolong"), message);
      rejectedAndAudited(
          db, t, () -> t.execute("INSERT INTO p (id, name) VALUES (2, 'toolong')"), message);
      rejectedAndAudited(
          db, t, () -> t.execute("UPDATE p SET name = ? WHERE id = 1", "toolong"), message);
      assertEquals(ONLY_ADA, rows(t));
    }
  }

  @Test
  void shouldLogAndAuditNumbersOutOfRangeOrTooPrecise() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("INSERT INTO p (id, name, ward) VALUES (?, 'b', ?)", 2L, 3_000_000_000L),
          "value 3000000000 is out of range for INT column ward of table p");
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("INSERT INTO p (id, name, ward) VALUES (2, 'b', 3000000000)"),
          "value 3000000000 is out of range for INT column ward of table p");
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("UPDATE p SET ward = 3000000000 WHERE id = 1"),
          "value 3000000000 is out of range for INT column ward of table p");
      rejectedAndAudited(
          db,
          t,
          () ->
              t.execute(
                  "INSERT INTO p (id, name, price) VALUES (?, 'b', ?)",
                  2L,
                  new BigDecimal("1234.5")),
          "value 1234.5 exceeds the precision of DECIMAL(5,2) column price of table p"
              + " (at most 3 digits before the point)");
      rejectedAndAudited(
          db,
          t,
          () -> t.execute("INSERT INTO p (id, name, price) VALUES (2, 'b', 1.234)"),
          "value 1.234 has 3 digits after the point but DECIMAL(5,2) column price of table p"
              + " allows 2");
      rejectedAndAudited(
          db,
          t,
          () ->
              t.execute("INSERT INTO p (id, name) VALUES (?, 'b')", new BigDecimal("1e999999999")),
          "value 1E+999999999 is out of range for BIGINT column id of table p");
      assertEquals(ONLY_ADA, rows(t));
    }
  }

  @Test
  void shouldLogAndAuditAnUpdateSettingANotNullColumnToNull() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      String message = "NULL in NOT NULL column name of table p";
      rejectedAndAudited(db, t, () -> t.execute("UPDATE p SET name = NULL WHERE id = 1"), message);
      rejectedAndAudited(
          db, t, () -> t.execute("UPDATE p SET name = ? WHERE id = ?", null, 1L), message);
      // The value is what the column cannot hold, whether or not a row matches.
      rejectedAndAudited(db, t, () -> t.execute("UPDATE p SET name = NULL WHERE id = 99"), message);
      assertEquals(ONLY_ADA, rows(t));
    }
  }

  @Test
  void shouldRejectAWholeBatchWithOneBadRowAndAuditItOnce() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      List<Object[]> batch = new ArrayList<>();
      batch.add(new Object[] {10L, "a"});
      batch.add(new Object[] {11L, "b"});
      batch.add(new Object[] {12L, null});
      batch.add(new Object[] {13L, "d"});
      batch.add(new Object[] {14L, "e"});
      rejectedAndAudited(
          db,
          t,
          () -> t.executeBatch("INSERT INTO p (id, name) VALUES (?, ?)", batch),
          "NULL in NOT NULL column name of table p");
      batch.set(2, new Object[] {12L, "longer"});
      rejectedAndAudited(
          db,
          t,
          () -> t.executeBatch("INSERT INTO p (id, name) VALUES (?, ?)", batch),
          "value too long for VARCHAR(5) column name of table p: 6 characters");
      assertEquals(ONLY_ADA, rows(t));
      assertEquals(
          "INSERT INTO p (5 rows)",
          t.auditTrail(db.lastPosition(), db.lastPosition()).get(0).statement());
    }
  }

  @Test
  void shouldRefuseBeforeTheLogWhatCannotBeACommand() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      LogPosition before = db.lastPosition();
      assertThrows(
          BadRequestException.class, () -> t.execute("INSERT INTO p (id, nme) VALUES (2, 'b')"));
      assertThrows(BadRequestException.class, () -> t.execute("INSERT INTO q (id) VALUES (2)"));
      assertThrows(
          BadRequestException.class, () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 2L));
      assertThrows(
          BadRequestException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", "two", "b"));
      assertThrows(
          BadRequestException.class,
          () -> t.execute("INSERT INTO p (id, name, ward) VALUES (2, 'b', 1.5)"));
      assertThrows(
          BadRequestException.class, () -> t.execute("UPDATE p SET ward = 'x' WHERE id = 1"));
      assertThrows(
          BadRequestException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (?, ?)", 2L, new Object()));
      assertThrows(
          BadRequestException.class, () -> t.execute("INSERT INTO p VALUES (2, 'b') RETURNING id"));
      assertEquals(before, db.lastPosition());
      assertEquals(2, t.auditTrail(LogPosition.of(1), db.lastPosition()).size());
    }
  }

  @Test
  void shouldReplayTheSameRejectionsStateAndTrailAfterReopen() {
    List<AuditEntry> trail;
    LogPosition last;
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = setUp(db);
      assertThrows(
          ConstraintViolationException.class,
          () -> t.execute("INSERT INTO p (id, name) VALUES (2, NULL)"));
      t.execute("INSERT INTO p (id, name) VALUES (2, 'Bob')");
      assertThrows(
          ConstraintViolationException.class,
          () -> t.execute("UPDATE p SET name = 'toolong' WHERE id = 2"));
      assertThrows(
          ConstraintViolationException.class,
          () ->
              t.executeBatch(
                  "INSERT INTO p (id, name, ward) VALUES (?, ?, ?)",
                  List.of(
                      new Object[] {3L, "c", 1},
                      new Object[] {4L, "d", 3_000_000_000L},
                      new Object[] {5L, "e", 2})));
      t.execute("UPDATE p SET ward = 7 WHERE id = 2");
      last = db.lastPosition();
      assertEquals(7, last.value());
      trail = t.auditTrail(LogPosition.of(1), last);
    }
    List<String> outcomes = new ArrayList<>();
    for (AuditEntry e : trail) {
      outcomes.add(e.outcome());
    }
    assertEquals(
        List.of("applied", "applied", "rejected", "applied", "rejected", "rejected", "applied"),
        outcomes);
    List<List<Object>> expected =
        List.of(List.of(1L, "Ada", 3, new BigDecimal("1.50")), nullPrice(2L, "Bob", 7));
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TENANT);
      assertEquals(last, db.lastPosition());
      assertEquals(trail, t.auditTrail(LogPosition.of(1), last));
      assertEquals(expected, rows(t));
    }
    VerificationReport report = Verity.verify(dir, null, (phase, n) -> {});
    assertTrue(report.ok(), report.problems().toString());
  }

  private static List<Object> nullPrice(long id, String name, int ward) {
    List<Object> row = new ArrayList<>();
    row.add(id);
    row.add(name);
    row.add(ward);
    row.add(null);
    return row;
  }
}
