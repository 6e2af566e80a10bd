package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries find cached plans by the catalog version the runtime tracks per tenant, and skip the
 * read-audit flag of tenants that never audit reads: both must stay exact across DDL, past
 * positions, tenants, shredding, read auditing switched on and reopening.
 */
class CachedPlanTest {
  @TempDir Path dir;

  private static String plan(TenantHandle t, LogPosition at) {
    String sql = "EXPLAIN SELECT id FROM p WHERE ward = ?";
    Rows rows = at == null ? t.query(sql, 3) : t.queryAt(at, sql, 3);
    return rows.get(0).values().toString().toLowerCase(Locale.ROOT);
  }

  @Test
  void shouldReplanAfterDdlAndUseTheRightPlanAtEveryPositionAndTenant() {
    LogPosition beforeIndex;
    try (Verity db = Verity.open(dir)) {
      TenantHandle a = db.tenant(TenantId.of(1));
      TenantHandle b = db.tenant(TenantId.of(2));
      a.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, ward INT)");
      b.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, ward INT)");
      for (long id = 0; id < 20; id++) {
        a.execute("INSERT INTO p VALUES (?, ?)", id, (int) (id % 5));
        b.execute("INSERT INTO p VALUES (?, ?)", id + 100, (int) (id % 5));
      }
      assertFalse(plan(a, null).contains("p_ward"));
      assertEquals(4, a.query("SELECT id FROM p WHERE ward = ?", 3).size());
      beforeIndex = db.lastPosition();
      a.execute("CREATE INDEX p_ward ON p (ward)");
      assertTrue(plan(a, null).contains("p_ward"), plan(a, null));
      assertFalse(plan(a, beforeIndex).contains("p_ward"), plan(a, beforeIndex));
      assertFalse(plan(b, null).contains("p_ward"), "tenant 2 has no index");
      assertEquals(
          103L, b.query("SELECT id FROM p WHERE ward = ? ORDER BY id", 3).get(0).getLong("id"));
      assertEquals(
          3L, a.query("SELECT id FROM p WHERE ward = ? ORDER BY id", 3).get(0).getLong("id"));
      // a table that appears after the plans were cached, for a tenant that had none
      TenantHandle c = db.tenant(TenantId.of(3));
      assertThrows(BadRequestException.class, () -> c.query("SELECT id FROM p WHERE ward = 1"));
      c.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, ward INT)");
      c.execute("INSERT INTO p VALUES (7, 1)");
      assertEquals(1, c.query("SELECT id FROM p WHERE ward = 1").size());
      // shredding removes the tenant's tables at once
      db.shredTenant(TenantId.of(3), "erasure request");
      KeyException gone =
          assertThrows(KeyException.class, () -> c.query("SELECT id FROM p WHERE ward = 1"));
      assertTrue(gone.getMessage().contains("crypto-shredded"), gone.getMessage());
    }
    try (Verity db = Verity.open(dir)) {
      TenantHandle a = db.tenant(TenantId.of(1));
      assertTrue(plan(a, null).contains("p_ward"));
      assertFalse(plan(a, beforeIndex).contains("p_ward"));
      a.execute("CREATE INDEX p_id_ward ON p (ward, id)");
      assertEquals(4, a.query("SELECT id FROM p WHERE ward = ?", 3).size());
    }
  }

  @Test
  void shouldAuditReadsSwitchedOnBeforeOrAfterOpen() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle a = db.tenant(TenantId.of(1));
      a.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, ward INT)");
      a.query("SELECT * FROM p");
      a.auditReads("p", true); // after open: the tenant was not auditing reads
      a.query("SELECT * FROM p WHERE id = 1");
      assertEquals(1, reads(a, db));
    }
    try (Verity db = Verity.open(dir)) { // before open: found by the scan at open
      TenantHandle a = db.tenant(TenantId.of(1));
      a.query("SELECT * FROM p WHERE id = 2");
      assertEquals(2, reads(a, db));
      a.auditReads("p", false);
      a.query("SELECT * FROM p WHERE id = 3");
      assertEquals(2, reads(a, db));
    }
  }

  private static long reads(TenantHandle t, Verity db) {
    return t.auditTrail(LogPosition.of(1), db.lastPosition()).stream()
        .filter(e -> e.outcome().equals("read"))
        .count();
  }
}
