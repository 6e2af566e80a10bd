package io.veritydb.api.internal;

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
 * Applies committed commands to one store, unpublished (the caller publishes, once per group): SQL
 * commands through the kernel, system commands here, and for every one an audit entry. The live
 * path and replay both come here, so they derive the same state from the same log.
 */
public final class CommandApplier {
  /** Who wrote a record, when, and where it stands in the log. */
  public record Stamp(
      TenantId tenant, LogPosition position, long micros, String actor, String requestId) {}

  /**
   * A SQL command's audit entry key and head ({@link AuditTrail#entryKey}, {@link AuditTrail#head}:
   * functions of the record alone), computed ahead off the applying thread (replay).
   */
  static final class AuditAhead {
    private final byte[] key;
    private final byte[] head;

    AuditAhead(byte[] key, byte[] head) {
      this.key = key;
      this.head = head;
    }
  }

  private final ProjectionStore store;
  private final Kernel kernel;
  private final TenantCrypto crypto;
  private final boolean mayChangeKeys;
  private final Kernel.TableMemo tables;

  /**
   * An applier of commands to {@code store}. {@code crypto} (null: payloads not encrypted) has its
   * keys destroyed by a shred only when {@code mayChangeKeys}. {@code tables} (null: none) is the
   * kernel's memo of the table looked up last, for a caller that applies every command to this
   * store in order (replay); a shred forgets it, since it purges the tenant's catalog.
   */
  public CommandApplier(
      ProjectionStore store,
      Kernel kernel,
      TenantCrypto crypto,
      boolean mayChangeKeys,
      Kernel.TableMemo tables) {
    this.store = store;
    this.kernel = kernel;
    this.crypto = crypto;
    this.mayChangeKeys = mayChangeKeys;
    this.tables = tables;
  }

  /**
   * Decodes the command of an envelope read from the log; bytes that are not a command are a {@link
   * CorruptionException} whose message starts with {@code where}.
   */
  public static LoggedCommand decode(CommandEnvelope envelope, String where) {
    if (envelope.type() == CommandEnvelope.SYSTEM) {
      return SystemCommand.decode(envelope.command(), where);
    }
    try {
      return new LoggedCommand.Sql(CommandCodec.decode(envelope.command()));
    } catch (CorruptionException e) {
      throw new CorruptionException(where + ": " + e.getMessage(), e);
    }
  }

  /** Applies {@code command}, stamped {@code stamp}, with its audit entry; returns the reply. */
  public Reply apply(Stamp stamp, LoggedCommand command) {
    return apply(stamp, command, null);
  }

  /** {@link #apply(Stamp, LoggedCommand)} with the audit entry computed ahead (null: here). */
  Reply apply(Stamp stamp, LoggedCommand command, AuditAhead ahead) {
    TenantId tenant = stamp.tenant();
    Effect effect =
        switch (command.kind()) {
          case SQL -> sql(stamp, ((LoggedCommand.Sql) command), ahead);
          case AUDIT_READS -> auditReads(tenant, (SystemCommand.AuditReads) command);
          case READ_EVENT -> readEvent((SystemCommand.ReadEvent) command);
          case SHRED_TENANT -> shred((SystemCommand.ShredTenant) command);
        };
    AuditTrail.record(
        effect.batch,
        ahead != null ? ahead.key : AuditTrail.entryKey(tenant, stamp.position().value()),
        ahead != null
            ? ahead.head
            : AuditTrail.head(stamp.micros(), stamp.actor(), stamp.requestId(), effect.statement),
        effect.outcome,
        effect.auditRows ? AuditTrail.rowsOf(effect.reply) : 0,
        AuditTrail.reasonOf(effect.reply));
    store.applyUnpublished(stamp.position(), effect.batch);
    return effect.reply;
  }

  /**
   * A command's writes, reply and what its audit entry records: a function of the log only (a
   * purge's count depends on what the store held, which differs between a live store and a replay
   * that skipped the tenant, so a shred's entry records no row count).
   */
  private record Effect(
      WriteBatch batch, Reply reply, String statement, int outcome, boolean auditRows) {}

  private Effect sql(Stamp stamp, LoggedCommand.Sql sql, AuditAhead ahead) {
    Outcome result = kernel.apply(store, stamp.tenant(), stamp.position(), sql.command(), tables);
    return new Effect(
        result.batch(),
        result.reply(),
        ahead != null ? null : AuditTrail.describe(sql.command()),
        AuditTrail.outcomeOf(result.reply()),
        true);
  }

  private static Effect auditReads(TenantId tenant, SystemCommand.AuditReads a) {
    WriteBatch batch = new WriteBatch();
    byte[] key = AuditTrail.readAuditedKey(tenant, a.table());
    if (a.on()) {
      batch.put(key, new byte[] {1});
    } else {
      batch.delete(key);
    }
    String statement = "AUDIT READS " + (a.on() ? "ON " : "OFF ") + a.table();
    return new Effect(batch, new Reply.Applied(0), statement, 0, true);
  }

  private static Effect readEvent(SystemCommand.ReadEvent r) {
    String statement = "READ " + r.table() + " at position " + r.atPosition() + ": " + r.detail();
    return new Effect(
        new WriteBatch(), new Reply.Applied(r.rows()), statement, AuditTrail.READ, true);
  }

  private Effect shred(SystemCommand.ShredTenant shred) {
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
    String statement = "SHRED " + victim + ": " + shred.reason();
    return new Effect(new WriteBatch(), new Reply.Applied(removed), statement, 0, false);
  }
}
