package io.veritydb.kernel;

import io.veritydb.store.StoreReader;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.Arrays;

/**
 * A small memo of decoded table definitions, keyed by the catalog descriptor's bytes ({@link
 * Catalog#entry}): a lookup still reads the descriptor at the position asked for (one store read),
 * but skips decoding it when the same bytes were decoded before. Since a definition is a function
 * of its bytes alone, an entry can never be stale, whatever the store, tenant or position; the
 * kernel's replies stay exactly what decoding afresh gives (determinism is unaffected).
 *
 * <p>Bounded: at most {@code size} definitions; a new one goes first and the oldest falls out.
 * Thread-safe (an immutable array replaced whole); a race at worst decodes one twice.
 */
public final class TableDefCache {
  /** The size used by the kernel and the query engine. */
  public static final int DEFAULT_SIZE = 32;

  private static final class Entry {
    final byte[] bytes;
    final TableDef table;

    Entry(byte[] bytes, TableDef table) {
      this.bytes = bytes;
      this.table = table;
    }
  }

  private static final Entry[] EMPTY = new Entry[0];

  private final int size;
  private volatile Entry[] entries = EMPTY;

  public TableDefCache(int size) {
    Checks.checkArgument(size >= 1 && size <= 4096, "size", size);
    this.size = size;
  }

  /** The store key of the table looked up last (a replay looks up one table over and over). */
  private static final class LastKey {
    final TenantId tenant;
    final String name;
    final byte[] key;

    LastKey(TenantId tenant, String name, byte[] key) {
      this.tenant = tenant;
      this.name = name;
      this.key = key;
    }
  }

  private volatile LastKey lastKey;

  /** {@link Catalog#find(StoreReader, LogPosition, TenantId, String)}, through the memo. */
  public TableDef find(StoreReader reader, LogPosition at, TenantId tenant, String name) {
    LastKey k = lastKey;
    if (k == null || !k.tenant.equals(tenant) || !k.name.equals(name)) {
      k = new LastKey(tenant, name, Catalog.entryKey(tenant, name));
      lastKey = k;
    }
    byte[] bytes = Catalog.entry(reader, at, k.key);
    return bytes == null ? null : decode(bytes);
  }

  /** {@link Catalog#require}, through the memo (the same error for a missing table). */
  public TableDef require(StoreReader reader, LogPosition at, TenantId tenant, String name) {
    TableDef t = find(reader, at, tenant, name);
    if (t == null) {
      throw Catalog.missing(reader, at, name);
    }
    return t;
  }

  /** {@link Catalog#decode}, through the memo. */
  public TableDef decode(byte[] bytes) {
    Entry[] current = entries;
    for (Entry e : current) {
      if (Arrays.equals(e.bytes, bytes)) {
        return e.table;
      }
    }
    TableDef table = Catalog.decode(bytes);
    int keep = Math.min(current.length, size - 1);
    Entry[] next = new Entry[keep + 1];
    next[0] = new Entry(bytes.clone(), table);
    System.arraycopy(current, 0, next, 1, keep);
    entries = next;
    return table;
  }

  /** How many definitions the memo holds now. */
  public int cached() {
    return entries.length;
  }
}
