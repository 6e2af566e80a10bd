package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.kernel.Command;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqlFeaturesTest {
  TestDb db;

  @BeforeEach
  void setUp() {
    db = new TestDb();
    db.exec(
        "CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, ward INT, "
            + "active BOOLEAN, balance DECIMAL(10,2), seen TIMESTAMP, photo BYTES)");
    db.exec(
        "INSERT INTO p (id, name, ward, active, balance) VALUES "
            + "(1, 'Ada', 3, TRUE, 10.50), (2, 'Bob', 3, FALSE, -1), (3, 'Cy', 4, NULL, NULL), "
            + "(4, 'Di', NULL, TRUE, 0), (5, 'Ed', 5, FALSE, 99999999.99)");
  }

  private List<Object> ids(String sql, Object... params) {
    List<Object> out = new ArrayList<>();
    for (Object[] r : db.query(sql, params).rows()) {
      out.add(r[0]);
    }
    return out;
  }

  @Test
  void shouldFilterWithEveryComparison() {
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward = 3"));
    assertEquals(List.of(3L, 5L), ids("SELECT id FROM p WHERE ward <> 3"));
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward < 4"));
    assertEquals(List.of(1L, 2L, 3L), ids("SELECT id FROM p WHERE ward <= 4"));
    assertEquals(List.of(5L), ids("SELECT id FROM p WHERE ward > 4"));
    assertEquals(List.of(3L, 5L), ids("SELECT id FROM p WHERE ward >= 4"));
    assertEquals(List.of(3L, 5L), ids("SELECT id FROM p WHERE 4 <= ward"));
    assertEquals(List.of(2L, 3L, 4L), ids("SELECT id FROM p WHERE id BETWEEN 2 AND 4"));
    assertEquals(List.of(1L, 5L), ids("SELECT id FROM p WHERE id NOT BETWEEN 2 AND 4"));
    assertEquals(List.of(1L, 2L, 5L), ids("SELECT id FROM p WHERE ward IN (3, 5)"));
    assertEquals(List.of(3L), ids("SELECT id FROM p WHERE ward NOT IN (3, 5)"));
    assertEquals(List.of(4L), ids("SELECT id FROM p WHERE ward IS NULL"));
    assertEquals(List.of(1L, 2L, 3L, 5L), ids("SELECT id FROM p WHERE ward IS NOT NULL"));
    assertEquals(List.of(1L, 4L), ids("SELECT id FROM p WHERE active = TRUE"));
    assertEquals(List.of(1L, 4L), ids("SELECT id FROM p WHERE active"));
    assertEquals(List.of(2L), ids("SELECT id FROM p WHERE name = 'Bob'"));
    assertEquals(List.of(3L, 4L, 5L), ids("SELECT id FROM p WHERE name > 'Bob'"));
    assertEquals(List.of(1L), ids("SELECT id FROM p WHERE balance = 10.5"));
    assertEquals(List.of(2L, 4L), ids("SELECT id FROM p WHERE balance < 1"));
    assertEquals(List.of(2L), ids("SELECT id FROM p WHERE balance = -1"));
  }

  @Test
  void shouldFollowThreeValuedLogic() {
    // NULL ward: comparisons are unknown, NOT unknown is unknown, so row 4 never matches either.
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward = 3"));
    assertEquals(List.of(3L, 5L), ids("SELECT id FROM p WHERE NOT (ward = 3)"));
    // unknown OR true = true; unknown AND false = false
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids("SELECT id FROM p WHERE ward = 3 OR id > 0"));
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward = 3 AND id > 0"));
    assertEquals(List.of(), ids("SELECT id FROM p WHERE ward = NULL"));
    // x NOT IN (list with NULL) is never true
    assertEquals(List.of(), ids("SELECT id FROM p WHERE ward NOT IN (3, NULL)"));
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward IN (3, NULL)"));
    assertEquals(
        List.of(2L, 5L),
        ids("SELECT id FROM p WHERE (active = FALSE OR ward IS NULL) AND NOT active"));
  }

  @Test
  void shouldParseInListsFollowedByAndOr() {
    // JSqlParser 5.3 reads "x IN (3) OR ..." as "x IN ((3) OR ...)"; Precedence regroups it.
    assertEquals(List.of(1L, 2L, 4L), ids("SELECT id FROM p WHERE ward IN (3) OR ward IS NULL"));
    assertEquals(List.of(2L), ids("SELECT id FROM p WHERE ward IN (3, 4) AND active = FALSE"));
    assertEquals(
        List.of(4L, 5L),
        ids("SELECT id FROM p WHERE ward NOT IN (3, 4) AND id > 3 OR id = 4 AND ward IS NULL"));
  }

  @Test
  void shouldReturnNothingForContradictoryRanges() {
    assertEquals(List.of(), ids("SELECT id FROM p WHERE id BETWEEN 4 AND 2"));
    assertEquals(List.of(), ids("SELECT id FROM p WHERE id > 4 AND id < 2"));
    db.exec("CREATE INDEX p_ward ON p (ward)");
    assertEquals(List.of(), ids("SELECT id FROM p WHERE ward > 4 AND ward < 2"));
  }

  @Test
  void shouldOrderByManyColumnsAndPage() {
    assertEquals(List.of(4L, 1L, 2L, 3L, 5L), ids("SELECT id FROM p ORDER BY ward, id"));
    assertEquals(List.of(5L, 3L, 2L, 1L, 4L), ids("SELECT id FROM p ORDER BY ward DESC, id DESC"));
    assertEquals(List.of(5L, 3L, 1L, 2L, 4L), ids("SELECT id FROM p ORDER BY ward DESC, id ASC"));
    assertEquals(List.of(5L, 4L, 3L), ids("SELECT id FROM p ORDER BY id DESC LIMIT 3"));
    assertEquals(List.of(3L, 2L), ids("SELECT id FROM p ORDER BY id DESC LIMIT 2 OFFSET 2"));
    assertEquals(List.of(2L, 3L), ids("SELECT id FROM p ORDER BY ward, id LIMIT ? OFFSET ?", 2, 2));
    assertEquals(List.of(5L), ids("SELECT id FROM p ORDER BY name DESC LIMIT 1"));
    assertEquals(List.of(5L, 4L), ids("SELECT id AS k FROM p ORDER BY k DESC LIMIT 2"));
    assertEquals(List.of(), ids("SELECT id FROM p LIMIT 0"));
    assertEquals(List.of(), ids("SELECT id FROM p ORDER BY ward LIMIT 5 OFFSET 10"));
  }

  @Test
  void shouldProjectColumnsStarAndAliases() {
    QueryResult r = db.query("SELECT name, id AS key FROM p WHERE id = 2");
    assertEquals(List.of("name", "key"), r.columnNames());
    assertEquals(List.of(SqlType.varchar(20), SqlType.BIGINT), r.columnTypes());
    assertEquals(List.of(List.of("Bob", 2L)), TestDb.rows(r));
    QueryResult all = db.query("SELECT * FROM P WHERE ID = 1");
    assertEquals(7, all.columnNames().size());
    assertEquals(new BigDecimal("10.50"), all.rows().get(0)[4]);
    assertEquals(List.of(1L), ids("SELECT p.id FROM p WHERE p.id = 1"));
    assertEquals(List.of(1L), ids("SELECT x.id FROM p x WHERE x.id = 1"));
  }

  @Test
  void shouldStoreEveryType() {
    Instant t = Instant.parse("2024-01-31T12:00:00.123456789Z");
    byte[] photo = {0, 1, 2, (byte) 0xFF};
    db.exec(
        "INSERT INTO p (id, name, ward, active, balance, seen, photo) VALUES (?, ?, ?, ?, ?, ?, ?)",
        10L,
        "Zed",
        (short) 7,
        true,
        new BigDecimal("12.3"),
        t,
        photo);
    Object[] row = db.query("SELECT * FROM p WHERE id = 10").rows().get(0);
    assertEquals(7, row[2]);
    assertEquals(new BigDecimal("12.30"), row[4]);
    assertEquals(t, row[5]);
    assertArrayEquals(photo, (byte[]) row[6]);
    assertEquals(List.of(10L), ids("SELECT id FROM p WHERE seen = ?", t));
    assertEquals(List.of(10L), ids("SELECT id FROM p WHERE seen > '2024-01-01T00:00:00Z'"));
    assertEquals(
        List.of(10L), ids("SELECT id FROM p WHERE seen > TIMESTAMP '2024-01-01 00:00:00'"));
    assertEquals(List.of(10L), ids("SELECT id FROM p WHERE photo = X'000102FF'"));
    assertEquals(List.of(10L), ids("SELECT id FROM p WHERE photo = ?", (Object) photo));
  }

  @Test
  void shouldAcceptCommonDdlAndDmlSpellings() {
    db.exec(
        "CREATE TABLE visits (patient INTEGER NOT NULL, day TIMESTAMP, note TEXT, cost NUMERIC(8,2),"
            + " scan BLOB, CONSTRAINT visits_pk PRIMARY KEY (patient, day));");
    db.exec(
        "INSERT INTO visits VALUES (1, '2024-01-02 10:00:00', 'first', 12.5, X'CAFE'),"
            + " (1, '2024-01-03T10:00:00Z', NULL, 0, NULL)");
    db.exec("INSERT INTO \"VISITS\" (\"Patient\", day) VALUES (2, '2024-01-02T00:00:00Z')");
    db.exec("UPDATE visits SET (note, cost) = ('second', 1) WHERE patient = 1 AND note IS NULL");
    assertEquals(
        List.of(List.of("first"), List.of("second")),
        TestDb.rows(db.query("SELECT note FROM visits WHERE patient = 1 ORDER BY day")));
    assertEquals(
        "PK_RANGE visits (patient = 1)",
        db.query("EXPLAIN SELECT * FROM visits WHERE patient = 1").rows().get(0)[1]);
    assertEquals(
        "PK_POINT visits (patient = 1 AND day = TIMESTAMP '2024-01-03T10:00:00Z')",
        db.query("EXPLAIN SELECT * FROM visits WHERE day = '2024-01-03T10:00:00Z' AND patient = 1")
            .rows()
            .get(0)[1]);
    assertEquals(3, db.query("select * from Visits;").size());
  }

  @Test
  void shouldReadSignedAndExtremeLiterals() {
    db.exec(
        "INSERT INTO p (id, name, balance) VALUES (-9223372036854775808, 'min', -0.25),"
            + " (9223372036854775807, 'max', +1.5)");
    assertEquals(List.of(Long.MIN_VALUE), ids("SELECT id FROM p WHERE id < -9223372036854775807"));
    assertEquals(List.of(Long.MAX_VALUE), ids("SELECT id FROM p WHERE id > 9223372036854775806"));
    assertEquals(List.of(Long.MIN_VALUE), ids("SELECT id FROM p WHERE balance = -0.25"));
    assertEquals(List.of(Long.MIN_VALUE, 2L, 4L), ids("SELECT id FROM p WHERE balance < 0.5"));
  }

  @Test
  void shouldUpdateAndDelete() {
    assertEquals(2, db.exec("UPDATE p SET ward = 9, active = ? WHERE ward = ?", false, 3));
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward = 9 AND active = FALSE"));
    assertEquals(1, db.exec("UPDATE p SET ward = id WHERE id = 5"));
    assertEquals(List.of(5L), ids("SELECT id FROM p WHERE ward = 5"));
    assertEquals(2, db.exec("DELETE FROM p WHERE ward = 9"));
    assertEquals(List.of(3L, 4L, 5L), ids("SELECT id FROM p"));
    assertEquals(0, db.exec("DELETE FROM p WHERE id = 77"));
    assertEquals(3, db.exec("DELETE FROM p"));
    assertEquals(List.of(), ids("SELECT id FROM p"));
  }

  @Test
  void shouldUpdateWithArithmetic() {
    assertEquals(
        1,
        db.exec(
            "UPDATE p SET balance = balance + ?, ward = ward * 2 - 1 WHERE id = ?",
            new BigDecimal("0.25"),
            1L));
    assertEquals(
        List.of(Arrays.asList(5, new BigDecimal("10.75"))),
        TestDb.rows(db.query("SELECT ward, balance FROM p WHERE id = 1")));
    assertEquals(5, db.exec("UPDATE p SET id = id + 1"));
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), ids("SELECT id FROM p"));
    assertEquals(List.of(3L), ids("SELECT id FROM p WHERE ward + 1 = 4"));
    assertEquals(
        List.of(3L, 5L),
        ids("SELECT id FROM p WHERE ward * 2 - 3 = ward AND ward IS NOT NULL OR id = 5"));
    assertEquals(1, db.exec("UPDATE p SET balance = balance - balance WHERE id = 2"));
    assertEquals(
        new BigDecimal("0.00"), db.query("SELECT balance FROM p WHERE id = 2").rows().get(0)[0]);
  }

  @Test
  void shouldUpdatePrimaryKeyByMovingTheRow() {
    db.exec("CREATE INDEX p_ward ON p (ward)");
    assertEquals(1, db.exec("UPDATE p SET id = 50 WHERE id = 5"));
    assertEquals(List.of(50L), ids("SELECT id FROM p WHERE ward = 5"));
    assertEquals(List.of(), ids("SELECT id FROM p WHERE id = 5"));
    assertEquals(List.of("Ed"), ids("SELECT name FROM p WHERE id = 50"));
  }

  @Test
  void shouldUseIndexesAndKeepThemInStep() {
    db.exec("CREATE INDEX p_ward ON p (ward)");
    db.exec("CREATE INDEX p_name_ward ON p (name, ward)");
    assertEquals(List.of(1L, 2L), ids("SELECT id FROM p WHERE ward = 3"));
    db.exec("UPDATE p SET ward = 4 WHERE id = 1");
    assertEquals(List.of(2L), ids("SELECT id FROM p WHERE ward = 3"));
    assertEquals(List.of(1L, 3L), ids("SELECT id FROM p WHERE ward = 4"));
    db.exec("DELETE FROM p WHERE id = 3");
    assertEquals(List.of(1L), ids("SELECT id FROM p WHERE ward = 4"));
    db.exec("INSERT INTO p (id, name, ward) VALUES (6, 'Fay', 4)");
    assertEquals(List.of(1L, 6L), ids("SELECT id FROM p WHERE ward = 4"));
    assertEquals(List.of(1L, 6L), ids("SELECT id FROM p WHERE ward BETWEEN 4 AND 4"));
    assertEquals(List.of(6L, 1L), ids("SELECT id FROM p WHERE ward = 4 ORDER BY id DESC"));
    assertEquals(List.of(6L), ids("SELECT id FROM p WHERE name = 'Fay' AND ward = 4"));
    assertEquals(List.of(2L, 1L, 6L, 5L), ids("SELECT id FROM p WHERE ward > 2 ORDER BY ward"));
  }

  @Test
  void shouldExplainTheChosenPlan() {
    db.exec("CREATE INDEX p_ward ON p (ward)");
    assertEquals(
        List.of(
            List.of(1, "PK_POINT p (id = 1)"),
            List.of(2, "FILTER id = 1"),
            List.of(3, "PROJECT id, name")),
        TestDb.rows(db.query("EXPLAIN SELECT id, name FROM p WHERE id = ?", 1L)));
    assertEquals(
        "PK_RANGE p (id > 1 AND id <= 3)",
        db.query("EXPLAIN SELECT * FROM p WHERE id > 1 AND id <= 3").rows().get(0)[1]);
    assertEquals(
        "INDEX_POINT p_ward ON p (ward = 3)",
        db.query("EXPLAIN SELECT * FROM p WHERE ward = 3").rows().get(0)[1]);
    assertEquals(
        "INDEX_RANGE p_ward ON p (ward >= 3)",
        db.query("EXPLAIN SELECT * FROM p WHERE ward >= 3").rows().get(0)[1]);
    assertEquals(
        "PK_IN p (id IN (1, 3, 5))",
        db.query("EXPLAIN SELECT * FROM p WHERE id IN (5, 1, 3, 1)").rows().get(0)[1]);
    assertEquals(
        "INDEX_IN p_ward ON p (ward IN (3, 4))",
        db.query("EXPLAIN SELECT * FROM p WHERE ward IN (?, ?)", 3, 4).rows().get(0)[1]);
    assertEquals(
        List.of(5L, 3L, 1L), ids("SELECT id FROM p WHERE id IN (5, 1, 3, 1) ORDER BY id DESC"));
    assertEquals(
        List.of(1L, 2L, 3L), ids("SELECT id FROM p WHERE ward IN (4, NULL, 3) ORDER BY ward"));
    List<List<Object>> scan =
        TestDb.rows(db.query("EXPLAIN SELECT name FROM p WHERE name = 'x' ORDER BY name LIMIT 3"));
    assertEquals(List.of(1, "SCAN p"), scan.get(0));
    assertEquals(List.of(3, "TOP-N SORT name (keep 3)"), scan.get(2));
    assertEquals(List.of(4, "LIMIT 3"), scan.get(3));
    assertEquals(
        List.of(2, "ORDER BY id DESC (key order, reversed)"),
        TestDb.rows(db.query("EXPLAIN SELECT id FROM p ORDER BY id DESC")).get(1));
  }

  @Test
  void shouldBatchManyRowsIntoOneCommand() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 100; i < 1100; i++) {
      rows.add(new Object[] {i, "n" + i, (int) (i % 7)});
    }
    long before = db.position().value();
    assertEquals(1000, db.batch("INSERT INTO p (id, name, ward) VALUES (?, ?, ?)", rows));
    assertEquals(before + 1, db.position().value());
    assertEquals(1005, db.query("SELECT id FROM p").size());
    try (StoreSnapshot s = db.store.snapshot()) {
      Command c =
          db.engine
              .prepare("INSERT INTO p (id, name, ward) VALUES (?, ?, ?)")
              .bindBatch(s, db.tenant, rows);
      assertEquals(1000, ((Command.Insert) c).rows().size());
    }
  }

  @Test
  void shouldNameTheTableOfEveryStatement() {
    assertEquals("p", db.engine.prepare("SELECT id FROM P").table());
    assertEquals("p", db.engine.prepare("EXPLAIN SELECT id FROM p").table());
    assertEquals("p", db.engine.prepare("INSERT INTO p (id) VALUES (1)").table());
    assertEquals("p", db.engine.prepare("UPDATE p SET ward = 1").table());
    assertEquals("p", db.engine.prepare("DELETE FROM p").table());
    assertEquals("q", db.engine.prepare("CREATE TABLE q (id INT PRIMARY KEY)").table());
    assertEquals("p", db.engine.prepare("CREATE INDEX ix ON p (ward)").table());
  }

  @Test
  void shouldCachePreparedStatementsBySqlText() {
    QueryEngine engine = new QueryEngine(2);
    Prepared a = engine.prepare("SELECT id FROM p");
    assertSame(a, engine.prepare("SELECT id FROM p"));
    engine.prepare("SELECT name FROM p");
    engine.prepare("SELECT ward FROM p");
    assertEquals(2, engine.cachedStatements());
    assertTrue(a != engine.prepare("SELECT id FROM p"), "evicted as least recently used");
    assertEquals(1, engine.cacheHits());
  }

  @Test
  void shouldIsolateTenants() {
    db.as(io.veritydb.types.TenantId.of(2));
    db.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, secret TEXT)");
    db.exec("INSERT INTO p (id, secret) VALUES (1, 'tenant two')");
    assertEquals(
        List.of(Arrays.asList(1L, "tenant two")), TestDb.rows(db.query("SELECT * FROM p")));
    db.as(io.veritydb.types.TenantId.of(1));
    assertEquals(5, db.query("SELECT * FROM p").size());
    assertEquals(7, db.query("SELECT * FROM p").columnNames().size());
  }
}
