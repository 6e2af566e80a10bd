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
 * SQL text the engine must refuse whole rather than half-read: a second statement after a {@code
 * ;}. A refusal writes nothing to the log.
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
}
