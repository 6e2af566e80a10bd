package io.veritydb.sim;

import io.veritydb.api.AuditEntry;
import io.veritydb.api.internal.CommandApplier;
import io.veritydb.api.internal.CommandEnvelope;
import io.veritydb.api.internal.Engine;
import io.veritydb.api.internal.TenantCrypto;
import io.veritydb.kernel.Kernel;
import io.veritydb.query.QueryEngine;
import io.veritydb.query.QueryResult;
import io.veritydb.storage.Damage;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogCursor;
import io.veritydb.storage.LogOptions;
import io.veritydb.storage.LogRecord;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.storage.VerifyReport;
import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * The checks: each query against the model, now and at past positions; and audits, which verify the
 * log's CRCs and hash chain, replay the whole log into a {@link MemoryStore} and compare every
 * table, through the same query code, three ways: engine, replay and model.
 */
final class Auditor {
  /** The record kind of a kernel command (io.veritydb.api.internal.RecordKinds.COMMAND). */
  private static final byte COMMAND = 16;

  private final Simulator sim;
  private final QueryEngine replayQueries = new QueryEngine(256);
  private final ReadOnlyView view;

  Auditor(Simulator sim) {
    this.sim = sim;
    this.view = new ReadOnlyView(sim.disk);
  }

  /** A random SELECT against the engine, now or at a random past position, checked. */
  void query(Op op, Random r, boolean past) {
    Engine engine = sim.engine();
    long tenant = sim.model.busyTenant(r);
    TableModel t = sim.model.randomTable(tenant, r);
    if (engine == null || t == null) {
      sim.trace.add(op + " skipped");
      return;
    }
    long at = past ? 1 + (long) (r.nextDouble() * sim.model.position()) : sim.model.position();
    List<Object[]> rows = t.rowsAt(at);
    if (rows == null) {
      String sql = "SELECT * FROM " + t.name;
      try {
        engine.query(TenantId.of(tenant), LogPosition.of(at), sql, new Object[0]);
      } catch (BadRequestException e) {
        sim.trace.add(op + " tenant " + tenant + " at " + at + ": " + t.name + " not there yet");
        return;
      } catch (VerityException e) {
        unexpected(e, sql);
        return;
      }
      throw new Violation(
          sql + " at " + at + " must fail: the table was created at " + t.createdAt);
    }
    QuerySpec q = QuerySpec.random(t, rows, r);
    sim.trace.add(op + " tenant " + tenant + (past ? " at " + at : "") + ": " + q.describe());
    QueryResult result;
    try {
      result = engine.query(TenantId.of(tenant), past ? LogPosition.of(at) : null, q.sql, q.params);
    } catch (BadRequestException e) {
      if (q.refusal == null || !e.getMessage().contains(q.refusal)) {
        unexpected(e, q.describe());
      }
      sim.trace.add("  refused: " + Trace.printable(e.getMessage()));
      return;
    } catch (VerityException e) {
      unexpected(e, q.describe());
      return;
    }
    if (q.refusal != null) {
      throw new Violation(
          "query " + q.describe() + " answered " + result.rows().size() + " rows: " + q.refusal);
    }
    check("engine", q, QuerySpec.rows(result), at);
  }

  private void unexpected(VerityException e, String what) {
    if (e instanceof CorruptionException ce) {
      sim.corruption("query " + what, ce);
    }
    if (e instanceof UnavailableException && sim.readFaults) {
      sim.trace.add("  query failed with a clear error under read faults: " + e.getMessage());
      return;
    }
    throw new Violation("query " + what + " failed: " + e, e);
  }

  private void check(String who, QuerySpec q, List<List<Object>> got, long at) {
    if (!Objects.equals(q.expected, got)) {
      throw new Violation(
          who
              + " answered "
              + q.describe()
              + " at position "
              + at
              + " wrongly:\n  expected "
              + q.expected
              + "\n  but got  "
              + got);
    }
    sim.trace.add(
        "  " + got.size() + " rows ok, hash " + Integer.toHexString(got.toString().hashCode()));
  }

  /** Verifies the log, replays it, and compares every table three ways, now and in the past. */
  void audit(String why) {
    Engine engine = sim.engine();
    if (engine == null || sim.readFaults || sim.needsRestart()) {
      return;
    }
    long position = sim.model.position();
    VerifyReport report;
    try {
      report = Log.verify(view, Simulator.DIR.resolve("log"), 1);
    } catch (CorruptionException e) {
      sim.corruption("log verification", e);
      return;
    }
    if (!report.ok()
        && report.firstDamage().kind() == Damage.Kind.TORN_TAIL
        && report.firstDamage().position() > position) {
      sim.trace.add("  an unfinished append after " + position + " (the engine stopped)");
    } else if (!report.ok()) {
      String d = report.firstDamage().describe();
      if (sim.corruptionInjected) {
        throw new Detected("log verification (" + why + "): " + d);
      }
      throw new Violation(
          "log verification failed with no corruption injected (" + why + "): " + d);
    }
    if (report.lastGoodPosition().value() < position) {
      throw new Violation(
          "the log verifies to "
              + report.lastGoodPosition()
              + " but "
              + position
              + " are acknowledged");
    }
    MemoryStore replay = replay();
    int entries = 0;
    Random r = new Random(SimConfig.fork(sim.config.seed, 1000 + position));
    for (long tenant : sim.model.tenants()) {
      entries += trail(engine, tenant, position);
      auditTable(engine, tenant, 1 + (long) (r.nextDouble() * position));
    }
    int tables = 0;
    for (long tenant : sim.model.tenants()) {
      for (TableModel t : sim.model.tables(tenant)) {
        tables++;
        compare(engine, replay, tenant, t, position, false);
        long past = t.createdAt + (long) (r.nextDouble() * (position - t.createdAt + 1));
        compare(engine, replay, tenant, t, Math.min(past, position), true);
      }
    }
    sim.trace.add(
        "  audit "
            + why
            + ": log verifies to "
            + report.lastGoodPosition()
            + ", "
            + tables
            + " tables equal in engine, replay and model, "
            + entries
            + " audit entries as the model says");
  }

  /**
   * Compares the audit trail of {@code tenant} up to {@code position} with the model's: each
   * command's position, actor, request id, statement, outcome, rows and rejection reason, in order,
   * times never decreasing. Returns the number of entries.
   */
  private int trail(Engine engine, long tenant, long position) {
    List<AuditEntry> got;
    try {
      got = engine.auditTrail(TenantId.of(tenant), 1, position);
    } catch (VerityException e) {
      unexpected(e, "audit trail of tenant " + tenant);
      return 0;
    }
    List<Model.Entry> expected = sim.model.trail(tenant);
    for (int i = 0; i < Math.max(got.size(), expected.size()); i++) {
      AuditEntry g = i < got.size() ? got.get(i) : null;
      Model.Entry e = i < expected.size() ? expected.get(i) : null;
      if (g == null || e == null || !entryMatches(g, e)) {
        throw new Violation(
            "the audit trail of tenant "
                + tenant
                + " differs from the model at entry "
                + (i + 1)
                + ":\n  expected "
                + e
                + "\n  but got  "
                + g);
      }
      if (i > 0 && g.time().isBefore(got.get(i - 1).time())) {
        throw new Violation(
            "the audit trail of tenant " + tenant + " goes back in time at " + g.position());
      }
    }
    return got.size();
  }

  /**
   * The system table verity_audit of {@code tenant} read by SQL as of {@code at}: the model's trail
   * up to that position.
   */
  private void auditTable(Engine engine, long tenant, long at) {
    String sql =
        "SELECT position, actor, request_id, statement, outcome, rows_affected, reason"
            + " FROM verity_audit ORDER BY position";
    List<Object[]> got;
    try {
      got = engine.query(TenantId.of(tenant), LogPosition.of(at), sql, new Object[0]).rows();
    } catch (VerityException e) {
      unexpected(e, sql + " at " + at);
      return;
    }
    List<Model.Entry> expected = new ArrayList<>();
    for (Model.Entry e : sim.model.trail(tenant)) {
      if (e.position() <= at) {
        expected.add(e);
      }
    }
    for (int i = 0; i < Math.max(got.size(), expected.size()); i++) {
      Object[] g = i < got.size() ? got.get(i) : null;
      Model.Entry e = i < expected.size() ? expected.get(i) : null;
      if (g == null
          || e == null
          || !entryMatches(
              new AuditEntry(
                  LogPosition.of((Long) g[0]),
                  null,
                  (String) g[1],
                  (String) g[2],
                  (String) g[3],
                  (String) g[4],
                  (Long) g[5],
                  (String) g[6]),
              e)) {
        throw new Violation(
            sql
                + " of tenant "
                + tenant
                + " at "
                + at
                + " differs from the model at row "
                + (i + 1)
                + ":\n  expected "
                + e
                + "\n  but got  "
                + (g == null ? null : java.util.Arrays.asList(g)));
      }
    }
  }

  private static boolean entryMatches(AuditEntry g, Model.Entry e) {
    Model.Expect x = e.expect();
    return g.position().value() == e.position()
        && g.actor().equals(e.actor())
        && g.requestId().equals(e.request())
        && g.statement().equals(e.statement())
        && g.outcome().equals(x.rejected() ? "rejected" : "applied")
        && g.rowsAffected() == x.rows()
        && (x.rejected() ? x.explains(g.reason()) : g.reason().isEmpty());
  }

  private void compare(
      Engine engine, MemoryStore replay, long tenant, TableModel t, long at, boolean past) {
    QuerySpec q = QuerySpec.all(t, t.rowsAt(at));
    TenantId id = TenantId.of(tenant);
    try {
      check(
          "engine",
          q,
          QuerySpec.rows(engine.query(id, past ? LogPosition.of(at) : null, q.sql, q.params)),
          at);
    } catch (VerityException e) {
      unexpected(e, q.describe() + (past ? " at " + at : ""));
    }
    try (StoreSnapshot snapshot = replay.snapshot()) {
      QueryResult got =
          replayQueries.prepare(q.sql).execute(snapshot, LogPosition.of(at), id, q.params);
      check("replay of the log", q, QuerySpec.rows(got), at);
    }
  }

  private MemoryStore replay() {
    MemoryStore store = new MemoryStore();
    CommandApplier applier = new CommandApplier(store, new Kernel(), null, false, null);
    try {
      records(
          1,
          sim.model.position(),
          (record, envelope) -> {
            if (envelope == null) {
              store.applyUnpublished(record.position(), new WriteBatch());
              return;
            }
            String expected = sim.model.requestAt(record.position().value());
            if (!envelope.requestId().equals(expected)) {
              throw new Violation(
                  "the log holds request "
                      + envelope.requestId()
                      + " at "
                      + record.position()
                      + " but "
                      + expected
                      + " was acknowledged there");
            }
            // The engine's own apply path (kernel or system command, audit entries included).
            applier.apply(
                new CommandApplier.Stamp(
                    record.tenant(),
                    record.position(),
                    record.timestampMicros(),
                    envelope.actor(),
                    envelope.requestId()),
                CommandApplier.decode(envelope, "log record at " + record.position()));
          });
      store.publish();
    } catch (CorruptionException e) {
      sim.corruption("replay of the log", e);
    }
    return store;
  }

  /** The request ids of the log's records from {@code from} to {@code to} ("" for non-commands). */
  List<String> requestIds(long from, long to) {
    List<String> ids = new ArrayList<>();
    records(from, to, (record, envelope) -> ids.add(envelope == null ? "" : envelope.requestId()));
    if (ids.size() != to - from + 1) {
      throw new Violation("the log holds " + ids.size() + " records from " + from + " to " + to);
    }
    return ids;
  }

  /**
   * Reads the log (a second, read-only instance, with read faults paused) from {@code from} to
   * {@code to}, decrypting and decoding each command's envelope (null for other records).
   */
  private void records(long from, long to, BiConsumer<LogRecord, CommandEnvelope> each) {
    LogOptions options = LogOptions.builder().readOnly(true).parallelism(1).build();
    TenantCrypto crypto = null;
    sim.pauseReadFaults();
    try (Log log = Log.open(view, Simulator.DIR.resolve("log"), options);
        LogCursor cursor =
            log.iterate(LogPosition.of(Math.min(from, log.lastPosition().value() + 1)))) {
      // A read-only open stops at damage instead of failing: damage inside the range asked for
      // is corruption the log detected, not records that were never written.
      if (log.damage().isPresent()
          && log.damage().get().kind() == Damage.Kind.CORRUPTION
          && log.lastPosition().value() < to) {
        throw new CorruptionException(log.damage().get().describe());
      }
      while (cursor.next()) {
        LogRecord record = cursor.record();
        if (record.position().value() > to) {
          break;
        }
        CommandEnvelope envelope = null;
        if (record.kind() == COMMAND) {
          byte[] payload = record.payload();
          if ((record.flags() & RecordDescriptor.FLAG_ENCRYPTED) != 0) {
            if (crypto == null) {
              crypto = TenantCrypto.open(view, Simulator.DIR, null, false);
            }
            payload = crypto.decrypt(record.tenant(), record.position().value(), payload);
          }
          envelope = CommandEnvelope.decode(payload, "log record at " + record.position());
        }
        each.accept(record, envelope);
      }
    } finally {
      if (crypto != null) {
        crypto.close();
      }
      sim.resumeReadFaults();
    }
  }
}
