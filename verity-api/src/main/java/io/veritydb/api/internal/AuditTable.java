package io.veritydb.api.internal;

import io.veritydb.api.AuditEntry;
import io.veritydb.kernel.ColumnDef;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.Kernel;
import io.veritydb.kernel.Outcome;
import io.veritydb.kernel.Reply;
import io.veritydb.query.Prepared;
import io.veritydb.query.QueryResult;
import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreReader;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only system table {@code verity_audit}: a tenant's audit trail as SQL rows, so that
 * SELECT with its WHERE, ORDER BY and LIMIT works on it like on any table. Each query materialises
 * the trail as of its position into a private in-memory store and runs there; the name is reserved,
 * so no tenant can create or write a table of that name.
 *
 * <pre>
 *   verity_audit (position BIGINT PRIMARY KEY, time TIMESTAMP, actor TEXT, request_id TEXT,
 *                 statement TEXT, outcome TEXT, rows_affected BIGINT, reason TEXT)
 * </pre>
 */
final class AuditTable {
  static final String NAME = "verity_audit";

  /** The most entries one query of the table materialises. */
  static final int MAX_ENTRIES = 1_000_000;

  private static final int CHUNK = 1_000;

  private AuditTable() {}

  static boolean isAuditTable(String table) {
    return NAME.equals(table);
  }

  /** Runs {@code prepared} (a SELECT of verity_audit) as of {@code at}. */
  static QueryResult query(
      Prepared prepared, StoreReader view, LogPosition at, TenantId tenant, Object[] params) {
    List<AuditEntry> entries = AuditTrail.byPosition(view, tenant, 1, at.value(), MAX_ENTRIES + 1);
    if (entries.size() > MAX_ENTRIES) {
      throw new BadRequestException(
          "verity_audit holds more than "
              + MAX_ENTRIES
              + " entries for one query; read it in position ranges with auditTrail(from, to)");
    }
    MemoryStore store = new MemoryStore();
    Kernel kernel = new Kernel();
    long position = 1;
    apply(kernel, store, tenant, position++, create());
    List<Object[]> rows = new ArrayList<>(CHUNK);
    for (AuditEntry e : entries) {
      rows.add(
          new Object[] {
            e.position().value(),
            e.time(),
            e.actor(),
            e.requestId(),
            e.statement(),
            e.outcome(),
            e.rowsAffected(),
            e.reason()
          });
      if (rows.size() == CHUNK) {
        apply(kernel, store, tenant, position++, insert(rows));
        rows = new ArrayList<>(CHUNK);
      }
    }
    if (!rows.isEmpty()) {
      apply(kernel, store, tenant, position++, insert(rows));
    }
    return prepared.execute(store, store.appliedPosition(), tenant, params);
  }

  private static Command create() {
    return new Command.CreateTable(
        NAME,
        List.of(
            new ColumnDef("position", SqlType.BIGINT, true),
            new ColumnDef("time", SqlType.TIMESTAMP, false),
            new ColumnDef("actor", SqlType.TEXT, true),
            new ColumnDef("request_id", SqlType.TEXT, true),
            new ColumnDef("statement", SqlType.TEXT, true),
            new ColumnDef("outcome", SqlType.TEXT, true),
            new ColumnDef("rows_affected", SqlType.BIGINT, true),
            new ColumnDef("reason", SqlType.TEXT, true)),
        List.of("position"));
  }

  private static Command insert(List<Object[]> rows) {
    return new Command.Insert(
        NAME,
        List.of(
            "position",
            "time",
            "actor",
            "request_id",
            "statement",
            "outcome",
            "rows_affected",
            "reason"),
        rows);
  }

  private static void apply(
      Kernel kernel, MemoryStore store, TenantId tenant, long position, Command command) {
    Outcome outcome = kernel.apply(store, tenant, LogPosition.of(position), command);
    if (outcome.reply() instanceof Reply.Rejected r) {
      throw new IllegalStateException("materialising verity_audit failed: " + r.message());
    }
    store.apply(LogPosition.of(position), outcome.batch());
  }
}
