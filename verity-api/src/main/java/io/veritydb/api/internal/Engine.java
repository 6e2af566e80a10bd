package io.veritydb.api.internal;

import io.veritydb.api.AuditEntry;
import io.veritydb.api.ExecuteResult;
import io.veritydb.api.RowVersion;
import io.veritydb.crypto.note.SignedNote;
import io.veritydb.io.Threads;
import io.veritydb.query.QueryEngine;
import io.veritydb.query.QueryResult;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The runtime behind {@code Verity}: one open database. {@link #open} opens and recovers it ({@link
 * EngineOpening}); writes go through {@link WritePath} to the {@link KernelAgent} on the {@link
 * KernelThread}; queries run on the caller's thread ({@link ReadPath}); history and the audit trail
 * are read by {@link HistoryPath}; proofs and signed checkpoints come from {@link ProofLog}; {@link
 * #close} stops it. Every call runs through the {@link OpenGate}.
 */
public final class Engine implements AutoCloseable {
  private final EngineConfig config;
  private final EngineOpening.Parts parts;
  private final OpenGate gate;
  private final KernelAgent agent;
  private final KernelThread kernel;
  private final AppendStage appendStage;
  private final WritePath writes;
  private final ReadPath reads;
  private final HistoryPath history;

  Engine(EngineConfig config, EngineOpening.Parts parts) {
    this.config = config;
    this.parts = parts;
    this.gate = new OpenGate(config.dir());
    ManyToOneConcurrentArrayQueue<Request> queue =
        new ManyToOneConcurrentArrayQueue<>(config.queueCapacity());
    this.appendStage =
        config.threaded()
            ? AppendStage.threaded(parts.log(), parts.proofs(), "verity-log " + config.dir())
            : AppendStage.stepped(parts.log(), parts.proofs(), config.appendBeforeApply());
    this.agent =
        new KernelAgent(
            parts.log(),
            parts.store(),
            parts.proofs(),
            parts.crypto(),
            config.encryptPayloads(),
            config.clock(),
            queue,
            config.maxBatchCommands(),
            config.logOptions().maxBatchBytes(),
            config.checkpointEvery(),
            appendStage);
    this.kernel = new KernelThread(agent, config.threaded(), "verity-kernel " + config.dir());
    EngineParts shared =
        new EngineParts(
            gate,
            parts.store(),
            new QueryEngine(config.statementCacheSize()),
            new ShreddedTenants(parts.crypto()),
            agent,
            kernel);
    this.writes =
        new WritePath(
            shared,
            queue,
            config.logOptions().maxPayload(),
            parts.crypto() != null && config.encryptPayloads());
    this.reads = new ReadPath(shared, writes);
    this.history = new HistoryPath(shared);
  }

  /**
   * Opens the database: the store as last flushed, then replay of the log after it; see {@link
   * EngineOpening}.
   */
  public static Engine open(EngineConfig config) {
    return EngineOpening.open(config);
  }

  /** After the replay: starts the threads of a threaded engine. */
  void start() {
    if (appendStage != null) {
      appendStage.startThread();
    }
    kernel.start();
  }

  /** The kernel agent, for a caller that drives it ({@code threaded=false}). */
  public KernelAgent agent() {
    return agent;
  }

  /** The newest position that is committed and applied. */
  public LogPosition lastPosition() {
    return agent.visiblePosition();
  }

  /** Prepares {@code sql} and submits it as one command, with no actor or request id. */
  public CompletableFuture<ExecuteResult> submit(TenantId tenant, String sql, Object[] params) {
    return writes.submit(tenant, Session.NONE, sql, params);
  }

  /** Prepares {@code sql} and submits it as one command on behalf of {@code session}. */
  public CompletableFuture<ExecuteResult> submit(
      TenantId tenant, Session session, String sql, Object[] params) {
    return writes.submit(tenant, session, sql, params);
  }

  /** Like {@link #submitBatch(TenantId, Session, String, List)}, with no actor or request id. */
  public CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, String sql, List<Object[]> rows) {
    return writes.submitBatch(tenant, Session.NONE, sql, rows);
  }

  /** Prepares {@code sql} once and submits all {@code rows} of parameters as one command. */
  public CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, Session session, String sql, List<Object[]> rows) {
    return writes.submitBatch(tenant, session, sql, rows);
  }

  /** Marks {@code table} so that its reads are recorded in the audit trail (or stops it). */
  public CompletableFuture<ExecuteResult> auditReads(
      TenantId tenant, Session session, String table, boolean on) {
    return writes.auditReads(tenant, session, table, on);
  }

  /** Crypto-shreds {@code tenant}: see {@link WritePath#shredTenant}. */
  public CompletableFuture<ExecuteResult> shredTenant(
      TenantId tenant, Session session, String reason) {
    return writes.shredTenant(tenant, session, reason);
  }

  /** Runs a SELECT or EXPLAIN as of {@code at} (null: the newest committed position). */
  public QueryResult query(TenantId tenant, LogPosition at, String sql, Object[] params) {
    return reads.query(tenant, Session.NONE, at, sql, params);
  }

  /**
   * Like {@link #query(TenantId, LogPosition, String, Object[])}, its read audited as {@code
   * session}'s.
   */
  public QueryResult query(
      TenantId tenant, Session session, LogPosition at, String sql, Object[] params) {
    return reads.query(tenant, session, at, sql, params);
  }

  /** The table a SELECT reads, or null (for callers that attach proofs). */
  public String tableOf(String sql) {
    return reads.tableOf(sql);
  }

  /** Refuses a call that waits for a command when made on the kernel thread itself. */
  public void checkNotOnKernelThread(String call) {
    kernel.checkNotOnIt(call);
  }

  /** The tenant's audit entries with positions in [from, to], oldest first. */
  public List<AuditEntry> auditTrail(TenantId tenant, long from, long to) {
    return history.auditTrail(tenant, from, to);
  }

  /** The tenant's audit entries stamped with a time in [from, to], in time order. */
  public List<AuditEntry> auditTrail(TenantId tenant, Instant from, Instant to) {
    return history.auditTrail(tenant, from, to);
  }

  /** Every version of one row, oldest first, with who changed it and when. */
  public List<RowVersion> history(TenantId tenant, String table, Object[] primaryKey) {
    return history.history(tenant, table, primaryKey);
  }

  /** The position of the record that wrote each row of a result; see {@link HistoryPath}. */
  public List<LogPosition> sourcesOf(
      TenantId tenant, String table, LogPosition at, List<String> columns, List<Object[]> rows) {
    return history.sourcesOf(tenant, table, at, columns, rows);
  }

  /** The verifier key of this database's checkpoints, in C2SP signed-note form. */
  public String verifierKey() {
    return parts.proofs().verifierKey();
  }

  /** The newest signed checkpoint (C2SP tlog-checkpoint), or null when none was made yet. */
  public String latestCheckpoint() {
    return gate.whileOpen(
        () -> {
          SignedNote note = parts.proofs().latest();
          return note == null ? null : note.encode();
        });
  }

  /** Signs a checkpoint of the log as it is now and returns it. */
  public String checkpointNow() {
    return gate.whileOpen(() -> parts.proofs().checkpoint(nowMicros()).encode());
  }

  /** A C2SP tlog-proof of the record at {@code position}. */
  public String proveInclusion(LogPosition position) {
    return gate.whileOpen(() -> parts.proofs().proveInclusion(position, nowMicros()));
  }

  /** The consistency proof from tree size {@code fromSize} to the newest checkpoint. */
  public String proveConsistency(long fromSize) {
    return gate.whileOpen(() -> parts.proofs().proveConsistency(fromSize));
  }

  private long nowMicros() {
    return KernelAgent.toMicros(config.clock().instant());
  }

  /**
   * Closes the database: commands already accepted are written and applied, the store is flushed
   * (and a checkpoint signed), files are closed and the directory lock released. Idempotent. The
   * caller's interrupt status is set aside meanwhile, as for open: the last flush is written
   * through channels an interrupt would close.
   */
  @Override
  public void close() {
    if (gate.isShut()) {
      return;
    }
    kernel.checkNotOnIt("close()");
    Threads.withInterruptSetAside(this::closeNow);
  }

  private void closeNow() {
    if (!gate.shut()) {
      return;
    }
    while (gate.inside() > 0) {
      kernel.wake();
      Thread.onSpinWait();
    }
    kernel.stop();
    RuntimeException failure = null;
    try {
      agent.drain();
      if (agent.failure() == null && agent.hasUnflushedWork()) {
        agent.flushAndSign();
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    RuntimeException closing = failure == null ? new RuntimeException("closing") : failure;
    EngineOpening.closeAll(closing, appendStage, parts);
    if (failure != null) {
      throw failure;
    }
    if (closing.getSuppressed().length > 0) {
      VerityException e =
          new UnavailableException("closing the database at " + config.dir() + " failed");
      for (Throwable t : closing.getSuppressed()) {
        e.addSuppressed(t);
      }
      throw e;
    }
  }
}
