package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.VerityException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlErrorsTest {
  TestDb db;

  @BeforeEach
  void setUp() {
    db = new TestDb();
    db.exec(
        "CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(5) NOT NULL, ward INT, "
            + "price DECIMAL(5,2))");
    db.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Ada', 3)");
  }

  private static <T extends VerityException> void fails(
      Class<T> type, String fragment, Executable e) {
    T ex = assertThrows(type, e);
    assertTrue(
        ex.getMessage().contains(fragment),
        () -> "expected '" + fragment + "' in: " + ex.getMessage());
  }

  private void unsupported(String sql, String construct) {
    BadRequestException ex = assertThrows(BadRequestException.class, () -> db.engine.prepare(sql));
    assertTrue(
        ex.getMessage().startsWith(construct) && ex.getMessage().contains("not supported"),
        () -> "expected '" + construct + "... not supported', got: " + ex.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT p.id FROM p JOIN q ON p.id = q.id | JOIN",
        "SELECT p.id FROM p, q | JOIN",
        "SELECT ward FROM p GROUP BY ward | GROUP BY",
        "SELECT COUNT(*) FROM p | aggregate function COUNT()",
        "SELECT SUM(ward) FROM p | aggregate function SUM()",
        "SELECT id FROM p WHERE upper(name) = 'X' | function UPPER()",
        "SELECT id FROM p WHERE id IN (SELECT id FROM p) | subquery",
        "SELECT id FROM (SELECT id FROM p) x | subquery in FROM",
        "SELECT DISTINCT ward FROM p | DISTINCT",
        "SELECT id FROM p UNION SELECT id FROM p | UNION",
        "SELECT id FROM p HAVING id > 1 | HAVING",
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM p | window function",
        "SELECT id FROM p WHERE name LIKE 'A%' | LIKE",
        "SELECT id FROM p WHERE CASE WHEN id = 1 THEN TRUE ELSE FALSE END | CASE",
        "SELECT id FROM p WHERE id / 2 = 1 | arithmetic",
        "UPDATE p SET ward = ward / 2 | arithmetic",
        "DROP TABLE p | DROP",
        "ALTER TABLE p ADD COLUMN x INT | ALTER",
        "COMMIT | transaction control COMMIT",
        "WITH x AS (SELECT id FROM p) SELECT id FROM x | WITH",
        "SELECT 1 | SELECT without FROM",
        "CREATE TABLE q (id INT PRIMARY KEY, x DOUBLE) | type DOUBLE",
        "CREATE TABLE q (id INT PRIMARY KEY, x INT UNIQUE) | column option UNIQUE",
        "CREATE UNIQUE INDEX q ON p (ward) | UNIQUE indexes",
        "INSERT INTO p (id, name) SELECT id, name FROM p | INSERT ... SELECT",
        "SELECT id FROM p ORDER BY 1 | ORDER BY 1",
      })
  void shouldNameTheUnsupportedConstruct(String sql, String construct) {
    unsupported(sql, construct);
  }

  @Test
  void shouldReportMalformedSqlWithItsPosition() {
    fails(
        BadRequestException.class,
        "malformed SQL at line 1, column 16",
        () -> db.engine.prepare("SELECT a FROMM t"));
    fails(BadRequestException.class, "line 1, column 1", () -> db.engine.prepare("SELEC a FROM t"));
    fails(
        BadRequestException.class, "malformed SQL", () -> db.engine.prepare("SELECT 'abc FROM p"));
    fails(BadRequestException.class, "empty SQL", () -> db.engine.prepare("  "));
    String deep = "(".repeat(300) + "id = 1" + ")".repeat(300);
    fails(
        BadRequestException.class,
        "nested too deeply",
        () -> db.engine.prepare("SELECT id FROM p WHERE " + deep));
    String nested = "(".repeat(30) + "id = 1" + ")".repeat(30);
    assertEquals(1, db.query("SELECT id FROM p WHERE " + nested).size(), "30 levels parse quickly");
  }

  @Test
  void shouldRejectUnknownTablesAndColumns() {
    fails(
        BadRequestException.class,
        "table nope does not exist",
        () -> db.query("SELECT * FROM nope"));
    fails(
        BadRequestException.class,
        "table nope does not exist",
        () -> db.exec("INSERT INTO nope (id) VALUES (1)"));
    fails(
        BadRequestException.class,
        "column zip does not exist in table p",
        () -> db.query("SELECT zip FROM p"));
    fails(
        BadRequestException.class,
        "column zip does not exist in table p",
        () -> db.query("SELECT id FROM p WHERE zip = 1"));
    fails(
        BadRequestException.class,
        "column zip does not exist",
        () -> db.exec("UPDATE p SET zip = 1 WHERE id = 1"));
    fails(
        BadRequestException.class,
        "column zip does not exist",
        () -> db.exec("DELETE FROM p WHERE zip = 1"));
    fails(
        BadRequestException.class,
        "column zip does not exist",
        () -> db.exec("INSERT INTO p (id, zip) VALUES (1, 2)"));
    fails(
        BadRequestException.class,
        "column zip does not exist",
        () -> db.query("SELECT id FROM p ORDER BY zip"));
    fails(
        BadRequestException.class,
        "column zip does not exist",
        () -> db.exec("CREATE INDEX p_zip ON p (zip)"));
    fails(
        BadRequestException.class,
        "table p already exists",
        () -> db.exec("CREATE TABLE p (id INT PRIMARY KEY)"));
    fails(
        BadRequestException.class, "needs a PRIMARY KEY", () -> db.exec("CREATE TABLE q (id INT)"));
  }

  @Test
  void shouldRejectTypeMismatches() {
    fails(
        BadRequestException.class,
        "parameter ?1",
        () -> db.exec("INSERT INTO p (id, name) VALUES (?, ?)", "one", "Ada"));
    fails(
        BadRequestException.class,
        "column ward of table p expects INT, got string 'x'",
        () -> db.exec("INSERT INTO p (id, name, ward) VALUES (2, 'Bo', 'x')"));
    fails(
        BadRequestException.class,
        "parameter ?1 (column id) expects BIGINT",
        () -> db.query("SELECT id FROM p WHERE id = ?", "1"));
    fails(
        BadRequestException.class,
        "expects BIGINT",
        () -> db.query("SELECT id FROM p WHERE id = 'x'"));
    fails(
        BadRequestException.class,
        "cannot compare",
        () -> db.query("SELECT id FROM p WHERE ward = name"));
    fails(
        BadRequestException.class,
        "unsupported value type java.lang.Object",
        () -> db.query("SELECT id FROM p WHERE id = ?", new Object()));
    fails(
        BadRequestException.class,
        "WHERE must be a condition",
        () -> db.query("SELECT id FROM p WHERE ward"));
    fails(
        BadRequestException.class,
        "LIMIT must be a non-negative integer",
        () -> db.query("SELECT id FROM p LIMIT ?", "ten"));
  }

  @Test
  void shouldRejectBadArithmetic() {
    fails(
        BadRequestException.class,
        "arithmetic needs numbers",
        () -> db.exec("UPDATE p SET ward = name + 1"));
    fails(
        BadRequestException.class,
        "arithmetic needs numbers",
        () -> db.exec("UPDATE p SET ward = ward + ?", "x"));
    fails(
        ConstraintViolationException.class,
        "numeric overflow",
        () -> db.exec("UPDATE p SET id = id + 9223372036854775807"));
    fails(
        ConstraintViolationException.class,
        "out of range for INT",
        () -> db.exec("UPDATE p SET ward = ward * 3000000000"));
    fails(
        BadRequestException.class,
        "only values, ? parameters, columns and + - * are allowed",
        () -> db.engine.prepare("UPDATE p SET ward = ward > 1"));
  }

  @Test
  void shouldRejectWrongParameterCount() {
    fails(
        BadRequestException.class,
        "wrong number of parameters: the statement has 2 ?, 1 values were given",
        () -> db.exec("INSERT INTO p (id, name) VALUES (?, ?)", 5L));
    fails(
        BadRequestException.class,
        "wrong number of parameters",
        () -> db.query("SELECT id FROM p WHERE id = ?"));
    fails(
        BadRequestException.class,
        "batch row 2: wrong number of parameters",
        () ->
            db.batch(
                "INSERT INTO p (id, name) VALUES (?, ?)",
                List.of(new Object[] {5L, "a"}, new Object[] {6L})));
  }

  @Test
  void shouldRejectConstraintViolations() {
    fails(
        ConstraintViolationException.class,
        "duplicate primary key (id)=(1) in table p",
        () -> db.exec("INSERT INTO p (id, name) VALUES (1, 'Bob')"));
    fails(
        ConstraintViolationException.class,
        "duplicate primary key (id)=(7) in table p",
        () -> db.exec("INSERT INTO p (id, name) VALUES (7, 'a'), (7, 'b')"));
    fails(
        ConstraintViolationException.class,
        "NULL in NOT NULL column name of table p",
        () -> db.exec("INSERT INTO p (id, name) VALUES (2, NULL)"));
    fails(
        ConstraintViolationException.class,
        "NULL in NOT NULL column name of table p (no value given)",
        () -> db.exec("INSERT INTO p (id) VALUES (2)"));
    fails(
        ConstraintViolationException.class,
        "NULL in NOT NULL column id",
        () -> db.exec("INSERT INTO p (id, name) VALUES (NULL, 'x')"));
    fails(
        ConstraintViolationException.class,
        "value too long for VARCHAR(5) column name of table p: 6 characters",
        () -> db.exec("INSERT INTO p (id, name) VALUES (2, 'abcdef')"));
    fails(
        ConstraintViolationException.class,
        "exceeds the precision of DECIMAL(5,2)",
        () -> db.exec("INSERT INTO p (id, name, price) VALUES (2, 'a', 1234.5)"));
    fails(
        ConstraintViolationException.class,
        "has 3 digits after the point but DECIMAL(5,2)",
        () ->
            db.exec("INSERT INTO p (id, name, price) VALUES (2, 'a', ?)", new BigDecimal("1.234")));
    fails(
        ConstraintViolationException.class,
        "out of range for INT",
        () -> db.exec("INSERT INTO p (id, name, ward) VALUES (2, 'a', 3000000000)"));
    fails(
        ConstraintViolationException.class,
        "NULL in NOT NULL column name",
        () -> db.exec("UPDATE p SET name = NULL WHERE id = 1"));
    db.exec("INSERT INTO p (id, name) VALUES (2, 'Bob')");
    fails(
        ConstraintViolationException.class,
        "duplicate primary key (id)=(2) in table p",
        () -> db.exec("UPDATE p SET id = 2 WHERE id = 1"));
    fails(
        ConstraintViolationException.class,
        "duplicate primary key (id)=(9) in table p",
        () -> db.exec("UPDATE p SET id = 9"));
    // Trailing zeros beyond the scale are fine: 1.500 is 1.50.
    db.exec("INSERT INTO p (id, name, price) VALUES (3, 'c', 1.500)");
    assertEquals(
        new BigDecimal("1.50"), db.query("SELECT price FROM p WHERE id = 3").rows().get(0)[0]);
  }

  @Test
  void shouldRejectAbsurdNumbersWithoutExpandingThem() {
    fails(
        ConstraintViolationException.class,
        "value 1E+999999999 exceeds the precision of DECIMAL(5,2)",
        () -> db.exec("INSERT INTO p (id, name, price) VALUES (5, 'a', 1e999999999)"));
    fails(
        ConstraintViolationException.class,
        "value 1E+999999999 is out of range for BIGINT",
        () -> db.exec("INSERT INTO p (id, name) VALUES (?, 'a')", new BigDecimal("1e999999999")));
    assertEquals(0, db.query("SELECT id FROM p WHERE price = 1e2000000000").size());
    assertEquals(1, db.exec("DELETE FROM p WHERE price < 1e2000000000 OR id = 1"));
    fails(
        BadRequestException.class,
        "bad literal",
        () -> db.engine.prepare("SELECT id FROM p WHERE id = 1e99999999999"));
    fails(
        BadRequestException.class,
        "bad literal",
        () -> db.engine.prepare("SELECT id FROM p WHERE price = DATE '2024-13-45'"));
  }

  @Test
  void shouldLeaveNothingBehindWhenABatchIsRejected() {
    fails(
        ConstraintViolationException.class,
        "duplicate primary key (id)=(1)",
        () ->
            db.batch(
                "INSERT INTO p (id, name) VALUES (?, ?)",
                List.of(new Object[] {10L, "a"}, new Object[] {1L, "b"})));
    assertEquals(0, db.query("SELECT id FROM p WHERE id = 10").size());
  }

  @Test
  void shouldRefuseQueriesInTheFutureAndWritesAsQueries() {
    fails(
        BadRequestException.class,
        "cannot query at position 99",
        () -> db.queryAt(LogPosition.of(99), "SELECT id FROM p"));
    fails(BadRequestException.class, "is a query", () -> db.exec("SELECT id FROM p"));
    fails(
        BadRequestException.class, "is not a query", () -> db.query("DELETE FROM p WHERE id = 1"));
    fails(
        BadRequestException.class,
        "executeBatch supports INSERT only",
        () -> db.batch("DELETE FROM p WHERE id = ?", List.<Object[]>of(new Object[] {1L})));
  }
}
