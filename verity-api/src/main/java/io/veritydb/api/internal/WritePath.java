package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.kernel.Catalog;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.query.Prepared;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The caller's half of a write: prepares the SQL, binds and checks it against a snapshot of the
 * catalog, encodes the command on the caller's thread, and queues it for the kernel thread, waiting
 * (spin, then park) while the queue is full. Returns the future the kernel agent completes once the
 * command is durable and visible.
 */
final class WritePath {
  private static final int ENCRYPTION_OVERHEAD = EnvelopeCipher.OVERHEAD;

  private final EngineParts parts;

  /** A caller finding the queue full spins this many times, then parks this long between tries. */
  static final int QUEUE_FULL_SPINS = 64;

  static final long QUEUE_FULL_PARK_NANOS = 50_000;

  private final ManyToOneConcurrentArrayQueue<Request> queue;
  private final int maxPayload;
  private final boolean canShred;

  /**
   * @param queue where requests wait for the kernel agent
   * @param maxPayload the largest encoded command the log takes (with its encryption overhead)
   * @param canShred whether payloads are encrypted, so a tenant can be crypto-shredded
   */
  WritePath(
      EngineParts parts,
      ManyToOneConcurrentArrayQueue<Request> queue,
      int maxPayload,
      boolean canShred) {
    this.parts = parts;
    this.queue = queue;
    this.maxPayload = maxPayload;
    this.canShred = canShred;
  }

  /** Prepares {@code sql} and submits it as one command on behalf of {@code session}. */
  CompletableFuture<ExecuteResult> submit(
      TenantId tenant, Session session, String sql, Object[] params) {
    return bindAndEnqueue(
        tenant, session, (prepared, snapshot) -> prepared.bind(snapshot, tenant, params), sql);
  }

  /** Prepares {@code sql} once and submits all {@code rows} of parameters as one command. */
  CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, Session session, String sql, List<Object[]> rows) {
    Checks.checkNotNull(rows, "rows");
    return bindAndEnqueue(
        tenant, session, (prepared, snapshot) -> prepared.bindBatch(snapshot, tenant, rows), sql);
  }

  /** Prepares {@code sql}, binds it against a snapshot of the catalog, and queues the command. */
  private CompletableFuture<ExecuteResult> bindAndEnqueue(
      TenantId tenant,
      Session session,
      BiFunction<Prepared, StoreSnapshot, Command> bind,
      String sql) {
    return parts
        .gate()
        .onSnapshot(
            parts.store(),
            snapshot ->
                enqueue(
                    tenant,
                    session,
                    parts.shredded().explain(tenant, () -> bind.apply(prepare(sql), snapshot))));
  }

  /** Marks {@code table} so that its reads are recorded in the audit trail (or stops it). */
  CompletableFuture<ExecuteResult> auditReads(
      TenantId tenant, Session session, String table, boolean on) {
    String name = table == null ? "" : table.toLowerCase(Locale.ROOT);
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new BadRequestException("not a table name: " + table);
    }
    // The table must exist now (checked without a query, which would itself be an audited read).
    parts
        .gate()
        .onSnapshot(
            parts.store(),
            snapshot -> {
              if (Catalog.find(snapshot, tenant, name) == null) {
                throw new BadRequestException("table " + name + " does not exist");
              }
              return null;
            });
    return parts
        .gate()
        .whileOpen(() -> submitSystem(tenant, session, new SystemCommand.AuditReads(name, on)));
  }

  /**
   * Crypto-shredding: an audited command (under the system tenant) that destroys the tenant's keys
   * and purges every version of its data from the store; its log payloads can then be decrypted by
   * no one, while the chain, the Merkle tree and other tenants' data stay intact.
   */
  CompletableFuture<ExecuteResult> shredTenant(TenantId tenant, Session session, String reason) {
    if (tenant.isSystem()) {
      throw new BadRequestException("the system tenant cannot be shredded");
    }
    if (!canShred) {
      throw new BadRequestException(
          "crypto-shredding needs encrypted payloads: this database was opened with"
              + " encryptPayloads(false), so the tenant's log records are readable without keys");
    }
    if (reason == null || reason.isBlank()) {
      throw new BadRequestException("give a reason for shredding " + tenant + " (it is audited)");
    }
    return parts
        .gate()
        .whileOpen(
            () ->
                submitSystem(
                    TenantId.SYSTEM,
                    session,
                    new SystemCommand.ShredTenant(tenant.value(), reason)));
  }

  /** Submits a command the runtime applies itself (read audit, shredding). */
  CompletableFuture<ExecuteResult> submitSystem(
      TenantId tenant, Session session, SystemCommand command) {
    return enqueue(
        tenant,
        session,
        command,
        new CommandEnvelope(
                CommandEnvelope.SYSTEM,
                session.actor(),
                session.requestId(),
                SystemCommand.encode(command))
            .encode());
  }

  private Prepared prepare(String sql) {
    Prepared prepared = parts.queries().prepare(sql);
    if (prepared.isQuery()) {
      throw new BadRequestException(
          "execute() runs writes and DDL; use query() for " + ReadPath.describe(prepared));
    }
    if (AuditTable.isAuditTable(prepared.table())) {
      throw new BadRequestException(
          AuditTable.NAME + " is a read-only system table: it cannot be created or written");
    }
    return prepared;
  }

  private CompletableFuture<ExecuteResult> enqueue(
      TenantId tenant, Session session, Command command) {
    return enqueue(
        tenant,
        session,
        new LoggedCommand.Sql(command),
        new CommandEnvelope(
                CommandEnvelope.KERNEL,
                session.actor(),
                session.requestId(),
                CommandCodec.encode(command))
            .encode());
  }

  private CompletableFuture<ExecuteResult> enqueue(
      TenantId tenant, Session session, LoggedCommand command, byte[] payload) {
    if (payload.length + ENCRYPTION_OVERHEAD > maxPayload) {
      throw new BadRequestException(
          "the command is "
              + payload.length
              + " bytes encoded, more than the limit of "
              + maxPayload
              + "; split the batch");
    }
    VerityException failure = parts.agent().failure();
    if (failure != null) {
      throw failure;
    }
    Request request = new Request(tenant, session.actor(), session.requestId(), command, payload);
    for (int tries = 0; !queue.offer(request); tries++) {
      // The queue is full: callers submit faster than the kernel thread can write. Spin briefly,
      // then park between tries, so that waiting callers leave the CPU to the kernel thread
      // (spinning callers on 2 cores made four flooding executeAsync writers 1.7x slower).
      parts.kernel().wake();
      if (parts.agent().failure() != null) {
        throw parts.agent().failure();
      }
      if (tries < QUEUE_FULL_SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(QUEUE_FULL_PARK_NANOS);
      }
    }
    parts.kernel().wake();
    return request.future;
  }
}
