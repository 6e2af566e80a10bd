package io.veritydb.api.internal;

import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.kernel.Kernel;
import io.veritydb.kernel.Outcome;
import io.veritydb.kernel.Reply;
import io.veritydb.store.KeyRange;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;

/**
 * Applies one committed command to the store, unpublished (the caller publishes, once per group):
 * kernel commands through the kernel, system commands here, and for every one an audit entry. The
 * live path and replay both come here, so they derive the same state from the same log.
 */
public final class CommandApplier {
  private CommandApplier() {}

  /**
   * Decodes the command of an envelope read from the log; bytes that are not a command are a {@link
   * CorruptionException} whose message starts with {@code where}.
   */
  public static Object decode(CommandEnvelope envelope, String where) {
    if (envelope.type() == CommandEnvelope.SYSTEM) {
      return SystemCommand.decode(envelope.command(), where);
    }
    try {
      return CommandCodec.decode(envelope.command());
    } catch (CorruptionException e) {
      throw new CorruptionException(where + ": " + e.getMessage(), e);
    }
  }

  public static Reply apply(
      ProjectionStore store,
      Kernel kernel,
      TenantId tenant,
      LogPosition position,
      long micros,
      String actor,
      String requestId,
      Object command,
      TenantCrypto crypto,
      boolean mayChangeKeys) {
    return apply(
        store,
        kernel,
        tenant,
        position,
        micros,
        actor,
        requestId,
        command,
        crypto,
        mayChangeKeys,
        null,
        null,
        null);
  }

  /**
   * {@link #apply}, for a kernel command whose audit entry key and head ({@link
   * AuditTrail#entryKey}, {@link AuditTrail#head}: functions of the record alone) were computed
   * ahead, off the applying thread (replay); both null means compute them here. {@code tables}
   * (null: none) is the kernel's memo of the table looked up last, for a caller that applies every
   * command to this store in order (replay); a shred forgets it, since it purges the tenant's
   * catalog. Same writes.
   */
  static Reply apply(
      ProjectionStore store,
      Kernel kernel,
      TenantId tenant,
      LogPosition position,
      long micros,
      String actor,
      String requestId,
      Object command,
      TenantCrypto crypto,
      boolean mayChangeKeys,
      byte[] auditKey,
      byte[] auditHead,
      Kernel.TableMemo tables) {
    WriteBatch batch;
    Reply reply;
    String statement;
    int outcome;
    // What the audit entry records: a function of the log only (a purge's count depends on what
    // the store held, which differs between a live store and a replay that skipped the tenant).
    boolean auditRows = true;
    if (command instanceof Command c) {
      Outcome result = kernel.apply(store, tenant, position, c, tables);
      batch = result.batch();
      reply = result.reply();
      statement = auditHead != null ? null : AuditTrail.describe(c);
      outcome = AuditTrail.outcomeOf(reply);
    } else if (command instanceof SystemCommand.AuditReads a) {
      batch = new WriteBatch();
      byte[] key = AuditTrail.readAuditedKey(tenant, a.table());
      if (a.on()) {
        batch.put(key, new byte[] {1});
      } else {
        batch.delete(key);
      }
      reply = new Reply.Applied(0);
      statement = "AUDIT READS " + (a.on() ? "ON " : "OFF ") + a.table();
      outcome = 0;
    } else if (command instanceof SystemCommand.ReadEvent r) {
      batch = new WriteBatch();
      reply = new Reply.Applied(r.rows());
      statement = "READ " + r.table() + " at position " + r.atPosition() + ": " + r.detail();
      outcome = AuditTrail.READ;
    } else if (command instanceof SystemCommand.ShredTenant shred) {
      TenantId victim = new TenantId(shred.tenant());
      if (tables != null) {
        tables.forget();
      }
      if (crypto != null && mayChangeKeys) {
        crypto.destroy(victim);
      }
      long removed = 0;
      for (byte[] prefix : AuditTrail.tenantPrefixes(victim)) {
        removed += store.purge(KeyRange.prefix(prefix));
      }
      batch = new WriteBatch();
      reply = new Reply.Applied(removed);
      statement = "SHRED " + victim + ": " + shred.reason();
      outcome = 0;
      auditRows = false;
    } else {
      throw new IllegalStateException("not a command: " + command);
    }
    AuditTrail.record(
        batch,
        auditKey != null ? auditKey : AuditTrail.entryKey(tenant, position.value()),
        auditHead != null ? auditHead : AuditTrail.head(micros, actor, requestId, statement),
        outcome,
        auditRows ? AuditTrail.rowsOf(reply) : 0,
        AuditTrail.reasonOf(reply));
    store.applyUnpublished(position, batch);
    return reply;
  }
}
