package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BasicSqlTest {
  TestDb db;

  @BeforeEach
  void setUp() {
    db = new TestDb();
    db.exec("CREATE TABLE patients (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
  }

  @Test
  void shouldInsertAndSelectByPrimaryKey() {
    assertEquals(
        1, db.exec("INSERT INTO patients (id, name, ward) VALUES (?, ?, ?)", 1L, "Ada", 3));
    db.exec("INSERT INTO patients (id, name, ward) VALUES (2, 'Bob', NULL), (3, 'Cy', 4)");
    QueryResult r = db.query("SELECT * FROM patients WHERE id = ?", 1L);
    assertEquals(List.of("id", "name", "ward"), r.columnNames());
    assertEquals(List.of(List.of(1L, "Ada", 3)), TestDb.rows(r));
    assertEquals(3, db.query("SELECT id FROM patients").size());
  }

  @Test
  void shouldRejectDuplicatePrimaryKey() {
    db.exec("INSERT INTO patients (id, name) VALUES (42, 'Ada')");
    ConstraintViolationException e =
        assertThrows(
            ConstraintViolationException.class,
            () -> db.exec("INSERT INTO patients (id, name) VALUES (42, 'Eve')"));
    assertEquals("duplicate primary key (id)=(42) in table patients", e.getMessage());
  }

  @Test
  void shouldQueryThePast() {
    db.exec("INSERT INTO patients (id, name) VALUES (1, 'Ada')");
    LogPosition before = db.position();
    db.exec("UPDATE patients SET name = 'Ada L' WHERE id = 1");
    assertEquals(
        List.of(List.of("Ada")),
        TestDb.rows(db.queryAt(before, "SELECT name FROM patients WHERE id = 1")));
    assertEquals(
        List.of(List.of("Ada L")), TestDb.rows(db.query("SELECT name FROM patients WHERE id = 1")));
    BadRequestException e =
        assertThrows(
            BadRequestException.class,
            () -> db.queryAt(LogPosition.NONE, "SELECT name FROM patients"));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
