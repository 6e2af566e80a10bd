package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/** A {@link KeyStore} in memory, for tests and for databases that are themselves in memory. */
public final class MemoryKeyStore implements KeyStore {
  private final TreeMap<TenantId, TenantKeyRecord> records = new TreeMap<>();
  private boolean closed;

  @Override
  public synchronized TenantKeyRecord get(TenantId tenant) {
    checkOpen();
    return records.get(Checks.checkNotNull(tenant, "tenant"));
  }

  @Override
  public synchronized List<TenantId> tenants() {
    checkOpen();
    return new ArrayList<>(records.keySet());
  }

  @Override
  public synchronized void put(TenantKeyRecord record) {
    checkOpen();
    records.put(record.tenant(), Checks.checkNotNull(record, "record"));
  }

  @Override
  public synchronized void putAll(Collection<TenantKeyRecord> batch) {
    checkOpen();
    for (TenantKeyRecord record : batch) {
      Checks.checkNotNull(record, "record");
    }
    for (TenantKeyRecord record : batch) {
      records.put(record.tenant(), record);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("memory key store is closed");
    }
  }
}
