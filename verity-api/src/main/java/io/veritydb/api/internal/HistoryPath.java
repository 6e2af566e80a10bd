package io.veritydb.api.internal;

import io.veritydb.api.AuditEntry;
import io.veritydb.api.RowVersion;
import io.veritydb.kernel.Catalog;
import io.veritydb.kernel.RowCodec;
import io.veritydb.kernel.RowKeys;
import io.veritydb.kernel.TableDef;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the log remembers, read from the store's versions on the caller's thread: every version of a
 * row, the audit trail by position or time, and which record wrote each row of a result (for
 * proofs).
 */
final class HistoryPath {
  private static final int MAX_AUDIT_ENTRIES = 100_000;

  private final EngineParts parts;

  HistoryPath(EngineParts parts) {
    this.parts = parts;
  }

  /** {@code read} over a snapshot of the store, while the database is open. */
  private <T> T onSnapshot(Function<StoreSnapshot, T> read) {
    return parts.gate().onSnapshot(parts.store(), read);
  }

  /** The tenant's audit entries with positions in [from, to], oldest first. */
  List<AuditEntry> auditTrail(TenantId tenant, long from, long to) {
    return onSnapshot(
        snapshot -> AuditTrail.byPosition(snapshot, tenant, from, to, MAX_AUDIT_ENTRIES));
  }

  /** The tenant's audit entries stamped with a time in [from, to], in time order. */
  List<AuditEntry> auditTrail(TenantId tenant, Instant from, Instant to) {
    return onSnapshot(snapshot -> AuditTrail.byTime(snapshot, tenant, from, to, MAX_AUDIT_ENTRIES));
  }

  /** Every version of one row, oldest first, with who changed it and when. */
  List<RowVersion> history(TenantId tenant, String table, Object[] primaryKey) {
    return parts
        .shredded()
        .explain(
            tenant, () -> onSnapshot(snapshot -> versions(snapshot, tenant, table, primaryKey)));
  }

  /**
   * For each row of a result read from {@code table} as of {@code at}, the position of the record
   * that wrote the version read. The result must include the table's primary key columns.
   */
  List<LogPosition> sourcesOf(
      TenantId tenant, String table, LogPosition at, List<String> columns, List<Object[]> rows) {
    return onSnapshot(
        snapshot -> {
          TableDef def = Catalog.find(snapshot, at, tenant, table);
          if (def == null) {
            throw new BadRequestException("table " + table + " does not exist at " + at);
          }
          int[] where = keyColumnsIn(def, table, columns);
          List<LogPosition> out = new ArrayList<>(rows.size());
          for (Object[] row : rows) {
            Object[] pk = new Object[where.length];
            for (int k = 0; k < where.length; k++) {
              pk[k] = row[where[k]];
            }
            long source = 0;
            for (long p :
                AuditTrail.versionPositions(
                    snapshot, RowKeys.of(tenant, def, pk), MAX_AUDIT_ENTRIES)) {
              if (p <= at.value()) {
                source = p;
              }
            }
            if (source == 0) {
              throw new IllegalStateException("no version of a row read at " + at + " in " + table);
            }
            out.add(LogPosition.of(source));
          }
          return out;
        });
  }

  /** Where each primary key column of {@code def} is among {@code columns}. */
  private static int[] keyColumnsIn(TableDef def, String table, List<String> columns) {
    int[] key = def.primaryKey();
    int[] where = new int[key.length];
    for (int k = 0; k < key.length; k++) {
      String name = def.column(key[k]).name();
      where[k] = columns.indexOf(name);
      if (where[k] < 0) {
        throw new BadRequestException(
            "select the primary key column "
                + name
                + " of "
                + table
                + " to get proofs for the rows (the result's columns are "
                + columns
                + ")");
      }
    }
    return where;
  }

  private static List<RowVersion> versions(
      StoreSnapshot snapshot, TenantId tenant, String table, Object[] primaryKey) {
    TableDef def = Catalog.find(snapshot, tenant, table.toLowerCase(Locale.ROOT));
    if (def == null) {
      throw new BadRequestException("table " + table + " does not exist");
    }
    byte[] rowKey = RowKeys.of(tenant, def, primaryKey);
    List<RowVersion> out = new ArrayList<>();
    boolean existed = false;
    for (long position : AuditTrail.versionPositions(snapshot, rowKey, MAX_AUDIT_ENTRIES)) {
      byte[] value = snapshot.getAt(rowKey, LogPosition.of(position));
      AuditEntry entry = AuditTrail.at(snapshot, tenant, position);
      String operation = value == null ? "DELETE" : existed ? "UPDATE" : "INSERT";
      existed = value != null;
      out.add(
          new RowVersion(
              LogPosition.of(position),
              entry == null ? null : entry.time(),
              entry == null ? "" : entry.actor(),
              entry == null ? "" : entry.requestId(),
              operation,
              value == null ? null : named(def, RowCodec.decode(def, value))));
    }
    return out;
  }

  private static Map<String, Object> named(TableDef def, Object[] decoded) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < decoded.length; i++) {
      values.put(def.column(i).name(), decoded[i]);
    }
    return Collections.unmodifiableMap(values);
  }
}
