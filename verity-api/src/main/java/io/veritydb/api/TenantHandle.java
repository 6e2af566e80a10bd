package io.veritydb.api;

import io.veritydb.api.internal.Session;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One tenant's view of the database. Every statement through it reads and writes only this tenant's
 * tables: no SQL can reach another tenant's rows. Thread-safe.
 */
public final class TenantHandle {
  private final Verity db;
  private final TenantId tenant;
  private final Session session;

  TenantHandle(Verity db, TenantId tenant, Session session) {
    this.db = db;
    this.tenant = tenant;
    this.session = session;
  }

  public TenantId tenantId() {
    return tenant;
  }

  /** The actor recorded with this handle's commands ("" when none was named). */
  public String actor() {
    return session.actor();
  }

  /** The request id recorded with this handle's commands ("" when none was given). */
  public String requestId() {
    return session.requestId();
  }

  /**
   * The same tenant on behalf of {@code actor}: every command written through the returned handle
   * records that actor in the log.
   */
  public TenantHandle as(String actor) {
    return new TenantHandle(db, tenant, new Session(actor, session.requestId()));
  }

  /**
   * The same tenant and actor, recording {@code requestId} with the commands written through the
   * returned handle (for example {@code t.withRequestId(httpRequestId).execute(...)}).
   */
  public TenantHandle withRequestId(String requestId) {
    return new TenantHandle(db, tenant, new Session(session.actor(), requestId));
  }

  /**
   * Runs one write or DDL statement (CREATE TABLE, CREATE INDEX, INSERT, UPDATE, DELETE) with
   * positional {@code ?} parameters. Returns once the command is durable in the log and applied.
   * The text holds exactly one statement: a trailing {@code ;} (and whitespace or comments after
   * it) is accepted, anything else after it is refused naming it, and nothing runs.
   *
   * <p>A command the data forbids is rejected when it is applied: it has a log position and an
   * audit entry with outcome {@code rejected} and the exception's message as reason, and changes
   * nothing. A request that cannot be a command of the table (malformed SQL, unknown names, wrong
   * parameter count, a value of a type its column does not take) is refused before the log and
   * leaves no trace. docs/COMPLIANCE.md ("Which rejections are logged and audited") lists both.
   *
   * @throws io.veritydb.types.BadRequestException malformed or unsupported SQL, unknown table or
   *     column, wrong number of parameters, a value of the wrong type (refused before the log); a
   *     command shape only the kernel checks, such as an index name that exists (logged, audited)
   * @throws io.veritydb.types.ConstraintViolationException duplicate key, NULL into NOT NULL, a
   *     value too long, out of range or too precise (the rejected command is in the log and in the
   *     audit trail)
   * @throws io.veritydb.types.ClosedException the database is closed
   */
  public ExecuteResult execute(String sql, Object... params) {
    db.engine().checkNotOnKernelThread("execute()");
    return await(executeAsync(sql, params));
  }

  /**
   * {@link #execute} without waiting: the future completes when the command is applied, or
   * completes exceptionally with what {@link #execute} would throw for it. Errors known before the
   * command is submitted are thrown at once, as {@link java.util.concurrent.ExecutorService#submit}
   * does: malformed SQL or parameters ({@link io.veritydb.types.BadRequestException}), a closed
   * database ({@link io.veritydb.types.ClosedException}), or one that has stopped after a failed
   * write ({@link io.veritydb.types.UnavailableException}).
   *
   * <p>The future completes on the database's kernel thread: an action chained with a non-async
   * method ({@code thenApply}, {@code whenComplete}...) runs there and holds up every write while
   * it runs, so chain anything slow with an {@code ...Async} method. A call that waits for a
   * command ({@code execute}, {@code executeBatch}, {@code auditReads}, {@code shredTenant}, {@code
   * close}, a query of a table whose reads are audited) fails with {@link
   * io.veritydb.types.BadRequestException} on that thread instead of waiting for itself.
   */
  public CompletableFuture<ExecuteResult> executeAsync(String sql, Object... params) {
    Checks.checkNotNull(sql, "sql");
    return db.submit(tenant, session, sql, params);
  }

  /**
   * Runs one INSERT statement once for each parameter row, as a single command: one log record, all
   * rows or none. One row the data forbids rejects the whole command, with one audit entry; errors
   * as for {@link #execute}.
   */
  public ExecuteResult executeBatch(String sql, List<Object[]> rows) {
    db.engine().checkNotOnKernelThread("executeBatch()");
    return await(executeBatchAsync(sql, rows));
  }

  /** {@link #executeBatch} without waiting; errors as for {@link #executeAsync}. */
  public CompletableFuture<ExecuteResult> executeBatchAsync(String sql, List<Object[]> rows) {
    Checks.checkNotNull(sql, "sql");
    return db.submitBatch(tenant, session, sql, rows);
  }

  /** Runs a SELECT (or EXPLAIN SELECT) against the newest committed state. */
  public Rows query(String sql, Object... params) {
    Checks.checkNotNull(sql, "sql");
    return db.query(tenant, session, null, sql, params);
  }

  /**
   * Runs a SELECT as of log position {@code at}: exactly what {@link #query} returned right after
   * {@code at} was committed. Fails when {@code at} is after the newest committed position.
   */
  public Rows queryAt(LogPosition at, String sql, Object... params) {
    Checks.checkNotNull(at, "at");
    Checks.checkNotNull(sql, "sql");
    return db.query(tenant, session, at, sql, params);
  }

  /**
   * Records every read of {@code table} from now on (or stops, with {@code on = false}): each query
   * of it writes who read it, the query and its parameters, the position read at and the row count
   * to the log before returning, as HIPAA access auditing expects. Re-running the recorded query at
   * the recorded position shows exactly the rows that were read.
   */
  public ExecuteResult auditReads(String table, boolean on) {
    db.engine().checkNotOnKernelThread("auditReads()");
    return await(db.engine().auditReads(tenant, session, table, on));
  }

  /** This tenant's audit trail for log positions {@code from} to {@code to}, oldest first. */
  public List<AuditEntry> auditTrail(LogPosition from, LogPosition to) {
    Checks.checkNotNull(from, "from");
    Checks.checkNotNull(to, "to");
    return db.engine().auditTrail(tenant, from.value(), to.value());
  }

  /** This tenant's audit trail for commands stamped between {@code from} and {@code to}. */
  public List<AuditEntry> auditTrail(java.time.Instant from, java.time.Instant to) {
    Checks.checkNotNull(from, "from");
    Checks.checkNotNull(to, "to");
    return db.engine().auditTrail(tenant, from, to);
  }

  /**
   * Runs a SELECT (now, or as of {@code at} when not null) and returns its rows with the evidence:
   * a signed checkpoint covering {@code at}, and for each row the record that wrote the version
   * read with its inclusion proof (C2SP tlog-proof). The SELECT must include the table's primary
   * key columns.
   */
  public ProvenRows queryWithProof(LogPosition at, String sql, Object... params) {
    Checks.checkNotNull(sql, "sql");
    Rows rows = at == null ? query(sql, params) : queryAt(at, sql, params);
    String table = db.engine().tableOf(sql);
    if (table == null) {
      throw new io.veritydb.types.BadRequestException("proofs are given for SELECT results only");
    }
    List<Object[]> values = new java.util.ArrayList<>(rows.size());
    for (Row row : rows) {
      values.add(row.values().toArray());
    }
    List<LogPosition> sources =
        db.engine().sourcesOf(tenant, table, rows.position(), rows.columnNames(), values);
    // One checkpoint that covers the position read; each tlog-proof also carries the checkpoint
    // it was made against (a newer one if the database checkpointed in between).
    String checkpoint = db.latestCheckpoint();
    if (checkpoint == null || treeSize(checkpoint) < rows.position().value()) {
      checkpoint = db.checkpoint();
    }
    java.util.Map<LogPosition, String> proofs = new java.util.TreeMap<>();
    for (LogPosition source : sources) {
      proofs.computeIfAbsent(source, db::proveInclusion);
    }
    return new ProvenRows(rows, checkpoint, sources, proofs);
  }

  /**
   * Every version of the row of {@code table} with primary key {@code primaryKey} (values in key
   * column order), oldest first: each with its position, time, actor and operation, and the row's
   * values after it (none after a DELETE). Deleted rows keep their history.
   */
  public List<RowVersion> history(String table, Object... primaryKey) {
    Checks.checkNotNull(table, "table");
    return db.engine().history(tenant, table, primaryKey);
  }

  /** The tree size of a signed checkpoint: its second line (C2SP tlog-checkpoint). */
  private static long treeSize(String checkpoint) {
    return Long.parseLong(checkpoint.split("\n", 3)[1]);
  }

  private static ExecuteResult await(CompletableFuture<ExecuteResult> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof VerityException v) {
        throw v;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "TenantHandle(" + tenant + ")";
  }
}
