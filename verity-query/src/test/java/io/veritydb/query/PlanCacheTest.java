package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreReader;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cached SELECT plans: a statement keeps its plan per table definition (keyed by the catalog
 * descriptor's bytes), so DDL, queries at past positions, other tenants and other stores always get
 * the plan of the definition they read.
 */
class PlanCacheTest {
  static final String BY_ID = "SELECT * FROM p WHERE id = ?";
  static final String BY_WARD = "SELECT id FROM p WHERE ward = ? ORDER BY id";
  static final String EXPLAIN_WARD = "EXPLAIN SELECT id FROM p WHERE ward = ? ORDER BY id";

  private static TestDb patients() {
    TestDb db = new TestDb();
    db.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
    db.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Ada', 3), (2, 'Bob', 4), (3, 'Cy', 3)");
    return db;
  }

  private static String access(TestDb db, LogPosition at, Object... params) {
    return (String) db.queryAt(at, EXPLAIN_WARD, params).rows().get(0)[1];
  }

  @Test
  void shouldPlanOnceAndReuseThePlanForOtherParameters() {
    TestDb db = patients();
    Prepared p = db.engine.prepare(BY_ID);
    for (long id = 0; id <= 3; id++) {
      List<List<Object>> rows = TestDb.rows(db.query(BY_ID, id));
      assertEquals(id == 0 ? 0 : 1, rows.size());
    }
    assertEquals(List.of(List.of(2L, "Bob", 4)), TestDb.rows(db.query(BY_ID, 2)));
    assertEquals(1, p.cachedPlans());
  }

  @Test
  void shouldReplanAfterCreateIndexAndKeepTheOldPlanForPositionsBeforeIt() {
    TestDb db = patients();
    LogPosition beforeIndex = db.position();
    assertEquals("SCAN p", access(db, beforeIndex, 3));
    assertEquals(List.of(List.of(1L), List.of(3L)), TestDb.rows(db.query(BY_WARD, 3)));
    db.exec("CREATE INDEX p_ward ON p (ward)");
    LogPosition afterIndex = db.position();
    // the same prepared statements, now with the index
    assertEquals("INDEX_POINT p_ward ON p (ward = 3)", access(db, afterIndex, 3));
    assertEquals(List.of(List.of(1L), List.of(3L)), TestDb.rows(db.query(BY_WARD, 3)));
    db.exec("INSERT INTO p (id, name, ward) VALUES (4, 'Di', 3)");
    // a cached plan made with the index is never used before the index existed, and back again
    assertEquals("SCAN p", access(db, beforeIndex, 3));
    assertEquals(
        List.of(List.of(1L), List.of(3L)), TestDb.rows(db.queryAt(beforeIndex, BY_WARD, 3)));
    assertEquals("INDEX_POINT p_ward ON p (ward = 3)", access(db, db.position(), 3));
    assertEquals(List.of(List.of(1L), List.of(3L), List.of(4L)), TestDb.rows(db.query(BY_WARD, 3)));
    assertEquals(2, db.engine.prepare(BY_WARD).cachedPlans());
  }

  @Test
  void shouldPlanAtAPastPositionWhenTheFirstExecutionIsAfterTheIndex() {
    TestDb db = patients();
    LogPosition beforeIndex = db.position();
    db.exec("CREATE INDEX p_ward ON p (ward)");
    assertEquals("INDEX_POINT p_ward ON p (ward = 4)", access(db, db.position(), 4));
    assertEquals("SCAN p", access(db, beforeIndex, 4));
    assertEquals(List.of(List.of(2L)), TestDb.rows(db.queryAt(beforeIndex, BY_WARD, 4)));
  }

  @Test
  void shouldStillSayATableDidNotExistBeforeItWasCreatedWithACachedPlan() {
    TestDb db = new TestDb();
    db.exec("CREATE TABLE other (id BIGINT PRIMARY KEY)");
    LogPosition beforeTable = db.position();
    db.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
    db.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Ada', 3)");
    assertEquals(1, db.query(BY_ID, 1L).size());
    BadRequestException e =
        assertThrows(BadRequestException.class, () -> db.queryAt(beforeTable, BY_ID, 1L));
    assertEquals("table p does not exist at " + beforeTable, e.getMessage());
    assertEquals(1, db.query(BY_ID, 1L).size());
  }

  @Test
  void shouldKeepCachedPlansOfTenantsApart() {
    TestDb db = patients();
    TenantId first = db.tenant;
    // tenant 2: the same table name with other columns, and a row with the same key
    db.as(TenantId.of(2));
    BadRequestException missing =
        assertThrows(BadRequestException.class, () -> db.query(BY_ID, 1L));
    assertEquals("table p does not exist", missing.getMessage());
    db.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, note TEXT)");
    db.exec("INSERT INTO p (id, note) VALUES (1, 'second tenant')");
    QueryResult second = db.query(BY_ID, 1L);
    assertEquals(List.of("id", "note"), second.columnNames());
    assertEquals(List.of(List.of(1L, "second tenant")), TestDb.rows(second));
    // tenant 3: exactly tenant 1's definition, so the plan is shared, but never its rows
    db.as(TenantId.of(3));
    db.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
    assertEquals(0, db.query(BY_ID, 1L).size());
    db.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Third', 9)");
    assertEquals(List.of(List.of(1L, "Third", 9)), TestDb.rows(db.query(BY_ID, 1L)));
    db.as(first);
    QueryResult again = db.query(BY_ID, 1L);
    assertEquals(List.of("id", "name", "ward"), again.columnNames());
    assertEquals(List.of(List.of(1L, "Ada", 3)), TestDb.rows(again));
    assertEquals(2, db.engine.prepare(BY_ID).cachedPlans());
  }

  @Test
  void shouldNeverConfuseTwoStoresWhoseCatalogsChangedAtTheSamePositions() {
    // as the runtime's verity_audit does: private stores, one engine, equal positions
    QueryEngine engine = new QueryEngine(16);
    TestDb a = new TestDb();
    TestDb b = new TestDb();
    a.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
    b.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, ward INT, name TEXT NOT NULL)");
    a.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Ada', 3)");
    b.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Bea', 7)");
    b.exec("CREATE INDEX p_ward ON p (ward)");
    a.exec("INSERT INTO p (id, name, ward) VALUES (2, 'Al', 7)");
    assertEquals(a.position(), b.position());
    Prepared byId = engine.prepare(BY_ID);
    Prepared explain = engine.prepare(EXPLAIN_WARD);
    for (int round = 0; round < 2; round++) {
      assertEquals(List.of(List.of(1L, "Ada", 3)), TestDb.rows(run(byId, a.store, 1L)));
      assertEquals(List.of(List.of(1L, 7, "Bea")), TestDb.rows(run(byId, b.store, 1L)));
      assertEquals("SCAN p", run(explain, a.store, 7).rows().get(0)[1]);
      assertEquals("INDEX_POINT p_ward ON p (ward = 7)", run(explain, b.store, 7).rows().get(0)[1]);
    }
    assertEquals(2, byId.cachedPlans());
  }

  private static QueryResult run(Prepared p, MemoryStore store, Object... params) {
    try (StoreSnapshot s = store.snapshot()) {
      return p.execute(s, s.position(), TenantId.of(1), params);
    }
  }

  @Test
  void shouldBoundThePlansOfOneStatement() {
    TestDb db = new TestDb();
    db.exec("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
    db.exec("INSERT INTO p (id, name, ward) VALUES (1, 'Ada', 3), (2, 'Bob', 4)");
    for (int i = 0; i < Prepared.MAX_PLANS + 3; i++) {
      db.exec("CREATE INDEX p_i" + i + " ON p (ward)");
      assertEquals(List.of(List.of(2L)), TestDb.rows(db.query(BY_WARD, 4)));
    }
    Prepared p = db.engine.prepare(BY_WARD);
    assertEquals(Prepared.MAX_PLANS, p.cachedPlans());
  }

  @Test
  void shouldReportParameterErrorsAsBeforeWithACachedPlan() {
    TestDb db = patients();
    assertEquals(1, db.query(BY_ID, 1L).size());
    BadRequestException e = assertThrows(BadRequestException.class, () -> db.query(BY_ID, "x"));
    assertEquals(
        "type mismatch: parameter ?1 (column id) expects BIGINT, got string 'x'", e.getMessage());
    // a bad parameter is reported before an unknown ORDER BY column, as the statement reads
    BadRequestException both =
        assertThrows(
            BadRequestException.class,
            () -> db.query("SELECT id FROM p WHERE id = ? ORDER BY nope", "x"));
    assertEquals(
        "type mismatch: parameter ?1 (column id) expects BIGINT, got string 'x'",
        both.getMessage());
    BadRequestException order =
        assertThrows(
            BadRequestException.class,
            () -> db.query("SELECT id FROM p WHERE id = ? ORDER BY nope", 1L));
    assertTrue(order.getMessage().startsWith("column nope does not exist"), order.getMessage());
    assertEquals(1, db.query(BY_ID, 1L).size());
  }

  /**
   * A reader counting catalog reads (keys in the kernel's catalog space, first byte 0x00); a proxy,
   * so that it follows whatever the store's interface holds.
   */
  private static final class CountingReader {
    final StoreReader reader;
    int catalogReads;

    CountingReader(StoreReader inner) {
      this.reader =
          (StoreReader)
              Proxy.newProxyInstance(
                  StoreReader.class.getClassLoader(),
                  new Class<?>[] {StoreReader.class},
                  (proxy, method, args) -> {
                    if ((method.getName().equals("get") || method.getName().equals("getAt"))
                        && ((byte[]) args[0])[0] == 0) {
                      catalogReads++;
                    }
                    try {
                      return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
    }
  }

  private static QueryResult runAt(
      Prepared p, CountingReader r, LogPosition at, TenantId t, long version, Object... params) {
    return p.executeAtCatalogVersion(r.reader, at, t, version, params);
  }

  @Test
  void shouldSkipTheCatalogReadForAKnownCatalogVersionAndReplanForANewOne() {
    TestDb db = patients();
    long version = db.position().value(); // the runtime would track the last DDL's position
    Prepared p = db.engine.prepare(EXPLAIN_WARD);
    try (StoreSnapshot s = db.store.snapshot()) {
      CountingReader r = new CountingReader(s);
      assertEquals("SCAN p", runAt(p, r, s.position(), db.tenant, version, 3).rows().get(0)[1]);
      assertEquals(1, r.catalogReads);
      assertEquals("SCAN p", runAt(p, r, s.position(), db.tenant, version, 4).rows().get(0)[1]);
      assertEquals(1, r.catalogReads, "the second execution read no catalog entry");
    }
    db.exec("CREATE INDEX p_ward ON p (ward)");
    long indexed = db.position().value();
    try (StoreSnapshot s = db.store.snapshot()) {
      CountingReader r = new CountingReader(s);
      assertEquals(
          "INDEX_POINT p_ward ON p (ward = 3)",
          runAt(p, r, s.position(), db.tenant, indexed, 3).rows().get(0)[1]);
      // another tenant with the same version number is another catalog
      BadRequestException missing =
          assertThrows(
              BadRequestException.class,
              () -> runAt(p, r, s.position(), TenantId.of(9), indexed, 3));
      assertEquals("table p does not exist", missing.getMessage());
      // no version: always read
      int before = r.catalogReads;
      Prepared byWard = db.engine.prepare(BY_WARD);
      assertEquals(
          List.of(List.of(1L), List.of(3L)),
          TestDb.rows(
              byWard.executeAtCatalogVersion(
                  r.reader,
                  s.position(),
                  db.tenant,
                  Prepared.NO_CATALOG_VERSION,
                  new Object[] {3})));
      assertEquals(
          List.of(List.of(1L), List.of(3L)),
          TestDb.rows(
              byWard.executeAtCatalogVersion(
                  r.reader,
                  s.position(),
                  db.tenant,
                  Prepared.NO_CATALOG_VERSION,
                  new Object[] {3})));
      assertEquals(before + 2, r.catalogReads);
    }
  }
}
