package io.veritydb.api.internal;

import io.veritydb.kernel.Kernel;
import io.veritydb.query.Prepared;
import io.veritydb.store.KeyRange;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kernel thread knows about each tenant that lets a query skip two store reads: the
 * version of the tenant's catalog (so a cached plan is found without reading the table's catalog
 * entry) and whether the tenant ever marked a table's reads as audited.
 *
 * <p>The kernel thread records a change when it applies the command, before the group is published;
 * a query reads these after taking its snapshot. So a query whose snapshot includes a change always
 * sees it, and a change not yet visible to a query only makes the query fall back to reading the
 * store (never the other way round). The catalog version of a tenant is the position of its newest
 * catalog change after open, or the position the database opened at: the catalog is the same at
 * every position from that version on, until the next change.
 */
final class ReadShortcuts {
  private final ConcurrentHashMap<TenantId, Long> catalogChanges = new ConcurrentHashMap<>();
  private final Set<TenantId> auditingReads = ConcurrentHashMap.newKeySet();
  private volatile long openPosition = Long.MAX_VALUE;

  /** After replay: the position opened at, and the tenants with tables whose reads are audited. */
  void opened(StoreReader store) {
    try (StoreCursor cursor =
        store.scan(
            KeyRange.prefix(new byte[] {AuditTrail.READ_AUDITED}), false, Integer.MAX_VALUE)) {
      while (cursor.next()) {
        auditingReads.add(new TenantId(ByteBuffer.wrap(cursor.key()).getLong(1)));
      }
    }
    openPosition = store.position().value();
  }

  /** On the kernel thread, for every applied command, before its group is published. */
  void applied(TenantId tenant, LogPosition position, LoggedCommand command) {
    switch (command.kind()) {
      case SQL -> {
        if (Kernel.changesCatalog(((LoggedCommand.Sql) command).command())) {
          catalogChanges.merge(tenant, position.value(), Math::max);
        }
      }
      case AUDIT_READS -> auditingReads.add(tenant);
      case SHRED_TENANT -> {
        TenantId shredded = new TenantId(((SystemCommand.ShredTenant) command).tenant());
        catalogChanges.merge(shredded, position.value(), Math::max);
      }
      case READ_EVENT -> {
        // a read changes neither the catalog nor what is audited
      }
    }
  }

  /**
   * The catalog version to pass to {@link Prepared#executeAtCatalogVersion} for a read of {@code
   * tenant} at {@code at}, or {@link Prepared#NO_CATALOG_VERSION} when it is not known.
   */
  long catalogVersion(TenantId tenant, LogPosition at) {
    long version = Math.max(openPosition, catalogChanges.getOrDefault(tenant, 0L));
    return at.value() >= version ? version : Prepared.NO_CATALOG_VERSION;
  }

  /** False when no table of {@code tenant} can have audited reads now. */
  boolean mayAuditReads(TenantId tenant) {
    return auditingReads.contains(tenant);
  }
}
