package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShredTest {
  private static final String MARKER = "forget-me-please-7f3a9c";

  @TempDir Path dir;

  private LogPosition beforeShred;

  private void populate() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle forgotten = db.tenant(TenantId.of(1), "clerk");
      TenantHandle kept = db.tenant(TenantId.of(2), "clerk");
      for (TenantHandle t : List.of(forgotten, kept)) {
        t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT, ward INT)");
        t.execute("CREATE INDEX p_ward ON p (ward)");
        String name = t == forgotten ? MARKER : "kept-name";
        t.execute("INSERT INTO p (id, name, ward) VALUES (1, ?, 3), (2, 'other', 4)", name);
        t.execute("UPDATE p SET ward = 5 WHERE id = 1");
      }
      forgotten.auditReads("p", true);
      forgotten.query("SELECT * FROM p");
      beforeShred = db.lastPosition();
      ExecuteResult shred = db.shredTenant(TenantId.of(1), "GDPR Art. 17 request #4711");
      assertTrue(shred.rowsAffected() > 0, "the shred purged nothing");
    }
  }

  @Test
  void shouldEraseATenantFromEveryPositionWhileEverythingStillVerifies() throws IOException {
    populate();
    try (Verity db = Verity.open(dir)) {
      TenantHandle forgotten = db.tenant(TenantId.of(1));
      TenantHandle kept = db.tenant(TenantId.of(2));
      assertShredded(assertThrows(KeyException.class, () -> forgotten.query("SELECT * FROM p")));
      assertShredded(
          assertThrows(
              KeyException.class,
              () -> forgotten.queryAt(beforeShred, "SELECT * FROM p"),
              "the tenant's rows must be gone from past positions too"));
      assertShredded(
          assertThrows(
              KeyException.class, () -> forgotten.execute("INSERT INTO p (id) VALUES (99)")));
      assertShredded(assertThrows(KeyException.class, () -> forgotten.history("p", 1L)));
      assertTrue(forgotten.auditTrail(LogPosition.of(1), db.lastPosition()).isEmpty());
      assertThrows(
          KeyException.class,
          () -> forgotten.execute("CREATE TABLE q (id BIGINT PRIMARY KEY)"),
          "a shredded tenant takes no new data");

      assertEquals(2, kept.query("SELECT * FROM p").size());
      assertEquals(
          "kept-name",
          kept.queryAt(beforeShred, "SELECT name FROM p WHERE id = 1").get(0).getString(0));
      assertEquals(2, kept.history("p", 1L).size(), "insert and update of the kept tenant");

      List<AuditEntry> system = db.systemAuditTrail(LogPosition.of(1), db.lastPosition());
      assertEquals(1, system.size());
      assertTrue(
          system.get(0).statement().contains("GDPR Art. 17 request #4711"), system.toString());
    }
    VerificationReport report = Verity.verify(dir, null, (phase, n) -> {});
    assertTrue(report.ok(), report.problems().toString());
  }

  @Test
  void shouldStayErasedAfterAFullReplayAndARepeatedShred() throws IOException {
    populate();
    try (Stream<Path> files = Files.list(dir.resolve("store"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    try (Verity db = Verity.open(dir)) {
      assertShredded(
          assertThrows(
              KeyException.class,
              () -> db.tenant(TenantId.of(1)).queryAt(beforeShred, "SELECT * FROM p")));
      assertEquals(2, db.tenant(TenantId.of(2)).query("SELECT * FROM p").size());
      assertEquals(0, db.shredTenant(TenantId.of(1), "repeated request").rowsAffected());
    }
    assertTrue(Verity.verify(dir, null, (phase, n) -> {}).ok());
  }

  @Test
  void shouldLeaveNoPlaintextOfTheTenantInTheStoreOrTheLog() throws IOException {
    populate();
    // Two more store flushes (each close flushes) with no snapshot open, so that the pages freed by
    // the purge are
    // overwritten with zeros.
    for (int i = 0; i < 2; i++) {
      try (Verity db = Verity.open(dir)) {
        db.tenant(TenantId.of(2)).execute("UPDATE p SET ward = ? WHERE id = 2", 10 + i);
      }
    }
    assertFalse(contains(dir.resolve("log"), MARKER), "log payloads are encrypted");
    assertFalse(contains(dir.resolve("store"), MARKER), "the purged rows linger in the store file");
  }

  @Test
  void shouldRefuseToShredWithoutAReasonOrTheSystemTenant() {
    try (Verity db = Verity.open(dir)) {
      assertThrows(BadRequestException.class, () -> db.shredTenant(TenantId.of(1), " "));
      assertThrows(BadRequestException.class, () -> db.shredTenant(TenantId.SYSTEM, "no"));
    }
  }

  private static boolean contains(Path dir, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
          if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A shredded tenant's reads and writes say it was shredded, not that a table is missing. */
  private static void assertShredded(KeyException e) {
    assertTrue(e.getMessage().contains("crypto-shredded"), e.getMessage());
  }
}
