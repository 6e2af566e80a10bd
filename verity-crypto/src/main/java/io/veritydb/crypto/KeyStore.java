package io.veritydb.crypto;

import io.veritydb.types.TenantId;
import java.util.Collection;
import java.util.List;

/**
 * Durable storage of wrapped tenant keys and shred markers. It never sees a key in the clear.
 *
 * <p>Contract: {@link #put} is atomic and durable when it returns: after a crash at any point the
 * store reopens holding either the record before the call or the record after it, never a mix and
 * never a damaged store. If {@code put} throws, the store may refuse further calls until it is
 * reopened (the durable state is then whichever of the two the disk kept). A damaged store is
 * reported on open ({@link io.veritydb.types.CorruptionException} naming the file), never ignored.
 *
 * <p>One process at a time may open a store for writing (the runtime's data directory lock ensures
 * it): two writers would lease the same nonce ranges.
 */
public interface KeyStore extends AutoCloseable {
  /** The tenant's record, or null when the store knows nothing of the tenant. */
  TenantKeyRecord get(TenantId tenant);

  /** Every tenant the store holds a record for, ascending. */
  List<TenantId> tenants();

  /** Atomically and durably replaces the record of {@code record.tenant()}. */
  void put(TenantKeyRecord record);

  /**
   * Atomically and durably replaces the records of all their tenants: after a crash, either all or
   * none of them are replaced (used to re-wrap every key under a new master key).
   */
  void putAll(Collection<TenantKeyRecord> records);

  @Override
  void close();
}
