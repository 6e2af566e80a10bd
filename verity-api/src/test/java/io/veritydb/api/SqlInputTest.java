package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL text and values the engine must refuse whole rather than half-read: a second statement after
 * a {@code ;}, and text that is not valid UTF-16. A refusal writes nothing to the log.
 */
class SqlInputTest {
  @TempDir Path dir;

  private static List<List<Object>> rows(TenantHandle t, String sql, Object... params) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : t.query(sql, params)) {
      out.add(new ArrayList<>(r.values()));
    }
    return out;
  }

  /** Runs {@code call}, which must be refused naming {@code expected}, with nothing logged. */
  private static BadRequestException refused(Verity db, String expected, Executable call) {
    LogPosition before = db.lastPosition();
    BadRequestException e = assertThrows(BadRequestException.class, call);
    assertTrue(e.getMessage().contains(expected), e::getMessage);
    assertEquals(before, db.lastPosition(), "a refused statement must write nothing to the log");
    return e;
  }

  @Test
  void shouldRefuseEverySecondStatementAndRunNothingOfIt() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE k (id BIGINT PRIMARY KEY, v INT);");
      assertEquals(1, t.execute("INSERT INTO k VALUES (1, 1); -- one\n").rowsAffected());
      String one = "execute and query take one SQL statement";

      refused(
          db,
          "offset 27: INSERT INTO k VALUES (21)",
          () -> t.execute("INSERT INTO k VALUES (20); INSERT INTO k VALUES (21)"));
      refused(db, "DROP TABLE k", () -> t.execute("INSERT INTO k VALUES (20); DROP TABLE k"));
      refused(db, one, () -> t.execute("INSERT INTO k VALUES (20); garbage garbage"));
      refused(
          db, one, () -> t.execute("UPDATE k SET v = 2 WHERE id = 1; DELETE FROM k WHERE id = 1"));
      refused(db, one, () -> t.executeAsync("DELETE FROM k; DELETE FROM k"));
      refused(
          db,
          one,
          () ->
              t.executeBatch(
                  "INSERT INTO k VALUES (?, 0); DELETE FROM k",
                  List.<Object[]>of(new Object[] {30L})));
      refused(db, "offset 18: DROP TABLE k", () -> t.query("SELECT id FROM k; DROP TABLE k"));

      assertEquals(List.of(List.of(1L, 1)), rows(t, "SELECT id, v FROM k;"));
      assertEquals(List.of(List.of(1L)), rows(t, "SELECT id FROM k WHERE v = 1; /* done */"));
    }
  }

  @Test
  void shouldRefuseUnpairedSurrogatesInParametersAndLiterals() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, tag VARCHAR(10))");
      t.execute("INSERT INTO t VALUES (1, 'ab', 'x')");
      String column = "text for column name of table t is not valid UTF-16: unpaired surrogate";

      refused(
          db,
          "parameter ?2: " + column + " at index 1",
          () -> t.execute("INSERT INTO t (id, name) VALUES (?, ?)", 2L, "a\uD800b"));
      refused(
          db,
          column + " at index 1",
          () -> t.execute("INSERT INTO t (id, name) VALUES (2, 'a\uD800b')"));
      refused(
          db,
          "text for column tag of table t is not valid UTF-16: unpaired surrogate at index 0",
          () -> t.execute("INSERT INTO t VALUES (2, 'ok', ?)", "\uDC00b"));
      refused(
          db,
          "parameter ?1: " + column + " at index 2",
          () -> t.execute("UPDATE t SET name = ? WHERE id = 1", "ab\uD800"));
      refused(
          db,
          column + " at index 2",
          () -> t.execute("UPDATE t SET name = 'ab\uDBFF' WHERE id = 1"));
      refused(
          db,
          "text for parameter ?1 is not valid UTF-16: unpaired surrogate at index 1",
          () -> t.execute("UPDATE t SET tag = 'y' WHERE name = ?", "a\uD800b"));
      refused(
          db,
          "text for parameter ?1 is not valid UTF-16: unpaired surrogate at index 1",
          () -> t.execute("DELETE FROM t WHERE name = ? OR id = 5", "a\uDC00"));
      refused(
          db,
          "not valid UTF-16: unpaired surrogate at index 1",
          () -> t.execute("DELETE FROM t WHERE name = 'a\uD800b'"));
      refused(
          db,
          "text for parameter ?1 is not valid UTF-16: unpaired surrogate at index 1",
          () -> t.query("SELECT id FROM t WHERE name = ?", "a\uD800b"));
      refused(
          db,
          "batch row 2: parameter ?2: " + column + " at index 1",
          () ->
              t.executeBatch(
                  "INSERT INTO t (id, name) VALUES (?, ?)",
                  List.of(new Object[] {3L, "fine"}, new Object[] {4L, "a\uD800b"})));

      assertEquals(List.of(List.of(1L, "ab", "x")), rows(t, "SELECT id, name, tag FROM t"));
      // A surrogate pair is valid UTF-16: stored, and found again by the same string.
      String emoji = "a\uD83D\uDE00b";
      t.execute("INSERT INTO t (id, name) VALUES (?, ?)", 5L, emoji);
      assertEquals(List.of(List.of(5L)), rows(t, "SELECT id FROM t WHERE name = ?", emoji));
    }
  }

  @Test
  void shouldRefuseAnUnpairedSurrogateInAKeyOrAName() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE s (k TEXT PRIMARY KEY)");
      refused(
          db,
          "parameter ?1: text for column k of table s is not valid UTF-16",
          () -> t.execute("INSERT INTO s VALUES (?)", "k\uD800"));
      refused(
          db,
          "is not valid UTF-16: unpaired surrogate at index 1",
          () -> t.execute("CREATE TABLE \"a\uD800\" (k BIGINT PRIMARY KEY)"));
      assertEquals(List.of(), rows(t, "SELECT k FROM s"));
    }
  }
}
