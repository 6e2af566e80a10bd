package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.query.Prepared;
import io.veritydb.query.QueryResult;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Queries, on the caller's thread, against a store snapshot: never waiting for the kernel thread,
 * except to make the read of a table whose reads are audited durable in the log before its rows are
 * returned.
 */
final class ReadPath {
  private static final int MAX_AUDIT_DETAIL = 2000;

  private final EngineParts parts;
  private final WritePath writes;

  ReadPath(EngineParts parts, WritePath writes) {
    this.parts = parts;
    this.writes = writes;
  }

  /**
   * Runs a SELECT or EXPLAIN as of {@code at} (null: the newest committed position). When the
   * table's reads are audited, the read (who, which query and parameters, at which position, how
   * many rows) is written durably to the log before the rows are returned.
   */
  QueryResult query(TenantId tenant, Session session, LogPosition at, String sql, Object[] params) {
    Audited read = parts.gate().whileOpen(() -> run(tenant, session, at, sql, params));
    if (read.audit != null) {
      read.audit.join();
    }
    return read.result;
  }

  /** The table a SELECT reads, or null (for callers that attach proofs). */
  String tableOf(String sql) {
    Prepared prepared = parts.queries().prepare(sql);
    return prepared.kind() == Prepared.Kind.SELECT ? prepared.table() : null;
  }

  static String describe(Prepared prepared) {
    return prepared.kind().name().replace('_', ' ');
  }

  /** A result, and the read's audit record on its way to the log (null when not audited). */
  private record Audited(QueryResult result, CompletableFuture<ExecuteResult> audit) {}

  private Audited run(
      TenantId tenant, Session session, LogPosition at, String sql, Object[] params) {
    Prepared prepared = parts.queries().prepare(sql);
    if (!prepared.isQuery()) {
      throw new BadRequestException(
          "query() runs SELECT and EXPLAIN; use execute() for " + describe(prepared));
    }
    try (StoreSnapshot snapshot = parts.store().snapshot()) {
      LogPosition position = at == null ? snapshot.position() : at;
      String table = prepared.table();
      if (AuditTable.isAuditTable(table)) {
        Prepared.checkCommitted(snapshot, position);
        return new Audited(AuditTable.query(prepared, snapshot, position, tenant, params), null);
      }
      ReadShortcuts shortcuts = parts.agent().shortcuts();
      QueryResult result =
          parts
              .shredded()
              .explain(
                  tenant,
                  () ->
                      prepared.executeAtCatalogVersion(
                          snapshot,
                          position,
                          tenant,
                          shortcuts.catalogVersion(tenant, position),
                          params));
      if (prepared.kind() != Prepared.Kind.SELECT
          || table == null
          || !shortcuts.mayAuditReads(tenant)
          || !AuditTrail.isReadAudited(snapshot, snapshot.position(), tenant, table)) {
        return new Audited(result, null);
      }
      parts.kernel().checkNotOnIt("a query of a table whose reads are audited");
      String detail =
          sql + (params == null || params.length == 0 ? "" : " " + Arrays.deepToString(params));
      SystemCommand event =
          new SystemCommand.ReadEvent(
              table,
              position.value(),
              result.size(),
              detail.length() > MAX_AUDIT_DETAIL
                  ? detail.substring(0, MAX_AUDIT_DETAIL) + "..."
                  : detail);
      return new Audited(result, writes.submitSystem(tenant, session, event));
    }
  }
}
