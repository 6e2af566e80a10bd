package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTest {
  private static final Instant START = Instant.parse("2026-11-26T09:00:00Z");

  @TempDir Path dir;

  /** A clock that moves one minute per reading, so each command has its own time. */
  private final AtomicLong minutes = new AtomicLong();

  private final InstantSource clock =
      () -> START.plus(Duration.ofMinutes(minutes.getAndIncrement()));

  @Test
  void shouldRecordWhoDidWhatWhenAndTheOutcome() {
    try (Verity db = Verity.builder(dir).clock(clock).open()) {
      TenantHandle alice = db.tenant(TenantId.of(1), "alice");
      alice.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
      alice.withRequestId("req-7").execute("INSERT INTO p (id, name) VALUES (1, 'Ada')");
      TenantHandle bob = db.tenant(TenantId.of(1), "bob");
      assertThrows(
          ConstraintViolationException.class,
          () -> bob.execute("INSERT INTO p (id, name) VALUES (1, 'Again')"));
      bob.execute("DELETE FROM p WHERE id = 1");
      db.tenant(TenantId.of(2), "eve").execute("CREATE TABLE other (id BIGINT PRIMARY KEY)");
    }
    try (Verity db = Verity.open(dir)) {
      List<AuditEntry> trail =
          db.tenant(TenantId.of(1)).auditTrail(LogPosition.of(1), db.lastPosition());
      assertEquals(4, trail.size(), trail.toString());
      assertEquals("alice", trail.get(0).actor());
      assertEquals("CREATE TABLE p", trail.get(0).statement());
      assertEquals("req-7", trail.get(1).requestId());
      assertEquals("applied", trail.get(1).outcome());
      assertEquals(1, trail.get(1).rowsAffected());
      assertEquals("bob", trail.get(2).actor());
      assertEquals("rejected", trail.get(2).outcome());
      assertTrue(trail.get(2).reason().contains("duplicate"), trail.get(2).reason());
      assertEquals("DELETE FROM p", trail.get(3).statement());
      assertTrue(trail.get(0).time().isBefore(trail.get(3).time()));

      Instant from = trail.get(1).time();
      Instant to = trail.get(2).time();
      List<AuditEntry> window = db.tenant(TenantId.of(1)).auditTrail(from, to);
      assertEquals(List.of(trail.get(1), trail.get(2)), window);
      assertEquals(
          1, db.tenant(TenantId.of(2)).auditTrail(LogPosition.of(1), db.lastPosition()).size());
    }
  }

  @Test
  void shouldNeverStampTimeBackwardsAndFindEntriesByTimeAcrossAClockStepBackAndAReopen() {
    // Minutes: 0, 10, 20, then the clock steps back to 5 and creeps up, then jumps to 40.
    long[] readings = {0, 10, 20, 5, 6, 7, 40, 41, 42, 43};
    AtomicLong next = new AtomicLong();
    InstantSource stepping =
        () -> {
          int i = (int) Math.min(next.getAndIncrement(), readings.length - 1);
          return START.plus(Duration.ofMinutes(readings[i]));
        };
    try (Verity db = Verity.builder(dir).clock(stepping).open()) {
      TenantHandle t = db.tenant(TenantId.of(1), "alice");
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY)");
      for (long id = 1; id <= 6; id++) {
        t.execute("INSERT INTO p (id) VALUES (?)", id);
      }
    }
    next.set(3); // reopened with the clock behind the log again (minute 5)
    try (Verity db = Verity.builder(dir).clock(stepping).open()) {
      TenantHandle t = db.tenant(TenantId.of(1), "alice");
      t.execute("INSERT INTO p (id) VALUES (7)");
      List<AuditEntry> trail = t.auditTrail(LogPosition.of(1), db.lastPosition());
      assertEquals(8, trail.size(), trail.toString());
      for (int i = 1; i < trail.size(); i++) {
        assertTrue(
            !trail.get(i).time().isBefore(trail.get(i - 1).time()),
            "time went backwards at " + trail.get(i));
      }
      for (int i = 0; i < trail.size(); i++) {
        for (int j = i; j < trail.size(); j++) {
          Instant from = trail.get(i).time();
          Instant to = trail.get(j).time();
          List<AuditEntry> expected =
              trail.stream()
                  .filter(e -> !e.time().isBefore(from) && !e.time().isAfter(to))
                  .toList();
          assertEquals(expected, t.auditTrail(from, to), "window " + from + ".." + to);
        }
      }
      assertEquals(List.of(), t.auditTrail(START.minusSeconds(60), START.minusSeconds(1)));
      assertEquals(trail, t.auditTrail(START.minusSeconds(60), START.plus(Duration.ofDays(1))));
    }
  }

  @Test
  void shouldServeTheTrailAsAReadOnlySystemTable() {
    try (Verity db = Verity.builder(dir).clock(clock).open()) {
      TenantHandle alice = db.tenant(TenantId.of(1), "alice");
      alice.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT)");
      LogPosition early = alice.execute("INSERT INTO p (id, name) VALUES (1, 'a')").position();
      TenantHandle bob = db.tenant(TenantId.of(1), "bob");
      bob.execute("INSERT INTO p (id, name) VALUES (2, 'b')");
      assertThrows(
          ConstraintViolationException.class,
          () -> bob.execute("INSERT INTO p (id, name) VALUES (2, 'again')"));
      db.tenant(TenantId.of(2), "eve").execute("CREATE TABLE q (id BIGINT PRIMARY KEY)");

      Rows bobs =
          alice.query(
              "SELECT position, statement, outcome FROM verity_audit WHERE actor = ?"
                  + " ORDER BY position DESC",
              "bob");
      assertEquals(2, bobs.size());
      assertEquals("rejected", bobs.get(0).getString("outcome"));
      assertEquals("applied", bobs.get(1).getString("outcome"));
      assertEquals(3, alice.query("SELECT * FROM verity_audit WHERE outcome = 'applied'").size());
      assertEquals(2, alice.queryAt(early, "SELECT * FROM verity_audit").size());
      assertEquals(
          1,
          db.tenant(TenantId.of(2)).query("SELECT * FROM verity_audit").size(),
          "each tenant sees only its own trail");
      assertThrows(
          BadRequestException.class,
          () -> alice.execute("DELETE FROM verity_audit WHERE position = 1"));
      assertThrows(
          BadRequestException.class,
          () -> alice.execute("CREATE TABLE verity_audit (id BIGINT PRIMARY KEY)"));
    }
  }

  @Test
  void shouldRecordReadsOfAuditedTablesAndRebuildTheTrailFromTheLog() throws Exception {
    LogPosition readAt;
    try (Verity db = Verity.builder(dir).clock(clock).open()) {
      TenantHandle admin = db.tenant(TenantId.of(1), "admin");
      admin.execute("CREATE TABLE records (id BIGINT PRIMARY KEY, diagnosis TEXT)");
      admin.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY)");
      admin.execute("INSERT INTO records (id, diagnosis) VALUES (1, 'x'), (2, 'y')");
      admin.auditReads("records", true);
      readAt = db.lastPosition();
      TenantHandle nurse = db.tenant(TenantId.of(1), "nurse");
      assertEquals(2, nurse.query("SELECT * FROM records WHERE id >= ?", 1L).size());
      nurse.query("SELECT * FROM notes");
      assertThrows(BadRequestException.class, () -> admin.auditReads("missing", true));
    }
    // Rebuild every derived state from the log alone: the trail must come back identical.
    List<AuditEntry> before;
    try (Verity db = Verity.open(dir)) {
      before = db.tenant(TenantId.of(1)).auditTrail(LogPosition.of(1), db.lastPosition());
    }
    try (Stream<Path> files = Files.list(dir.resolve("store"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    try (Verity db = Verity.open(dir)) {
      List<AuditEntry> after =
          db.tenant(TenantId.of(1)).auditTrail(LogPosition.of(1), db.lastPosition());
      assertEquals(before, after);
      AuditEntry read = after.get(after.size() - 1);
      assertEquals("read", read.outcome());
      assertEquals("nurse", read.actor());
      assertEquals(2, read.rowsAffected());
      assertTrue(
          read.statement().contains("records at position " + readAt.value()), read.statement());
      assertTrue(read.statement().contains("WHERE id >= ?"), read.statement());
      long reads = after.stream().filter(e -> e.outcome().equals("read")).count();
      assertEquals(1, reads, "reads of tables not audited are not recorded");
    }
  }
}
