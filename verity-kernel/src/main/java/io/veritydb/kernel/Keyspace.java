package io.veritydb.kernel;

import io.veritydb.store.KeyRange;
import io.veritydb.types.TenantId;
import java.nio.charset.StandardCharsets;

/**
 * Where everything lives in the one ordered store. Every key starts with a space byte and the
 * tenant, so a tenant's data is one contiguous range and no key built for tenant A can fall inside
 * tenant B's range: isolation by construction.
 *
 * <pre>
 * catalog  [0x00][tenant u64 BE][0x01][table name UTF-8]          -> table descriptor (CatalogCodec)
 *          [0x00][tenant u64 BE][0x02][index name UTF-8]          -> owning table name (UTF-8)
 *          [0x00][tenant u64 BE][0x03]                            -> next table id (u64 LE)
 * rows     [0x01][tenant u64 BE][table u64 BE][pk components...]  -> row (RowCodec)
 * indexes  [0x02][tenant u64 BE][table u64 BE][index u32 BE]
 *                [index components...][pk components...]          -> 0x01
 * </pre>
 *
 * The kernel owns first bytes 0x00-0x0F; the runtime keeps its own records (audit trail) from 0x10
 * on. Components are {@link KeyCodec} encodings. Catalog entries are versioned by log position like
 * rows, so the catalog as of any past position is a read at that position.
 */
final class Keyspace {
  private Keyspace() {}

  static final int CATALOG = 0x00;
  static final int ROWS = 0x01;
  static final int INDEX = 0x02;

  static final int CATALOG_TABLE = 0x01;
  static final int CATALOG_INDEX_NAME = 0x02;
  static final int CATALOG_NEXT_TABLE_ID = 0x03;

  /** The value of every index entry: the key says everything. */
  static final byte[] INDEX_VALUE = {1};

  private static void u64(ByteWriter w, long v) {
    for (int i = 7; i >= 0; i--) {
      w.u8((int) (v >>> (8 * i)));
    }
  }

  static byte[] tableEntry(TenantId tenant, String table) {
    return namedCatalogEntry(tenant, CATALOG_TABLE, table);
  }

  static byte[] indexNameEntry(TenantId tenant, String index) {
    return namedCatalogEntry(tenant, CATALOG_INDEX_NAME, index);
  }

  /** [0x00][tenant u64 BE][kind][name UTF-8]. */
  private static byte[] namedCatalogEntry(TenantId tenant, int kind, String name) {
    ByteWriter w = new ByteWriter(16 + name.length());
    w.u8(CATALOG);
    u64(w, tenant.value());
    w.u8(kind);
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return w.raw(utf8, 0, utf8.length).toByteArray();
  }

  static byte[] nextTableIdEntry(TenantId tenant) {
    ByteWriter w = new ByteWriter(10);
    w.u8(CATALOG);
    u64(w, tenant.value());
    return w.u8(CATALOG_NEXT_TABLE_ID).toByteArray();
  }

  /** Starts a row key: [0x01][tenant][table]; append pk components. */
  static ByteWriter rowKey(TenantId tenant, long table, int extra) {
    ByteWriter w = new ByteWriter(17 + extra);
    w.u8(ROWS);
    u64(w, tenant.value());
    u64(w, table);
    return w;
  }

  static int rowPrefixLength() {
    return 17;
  }

  /** Starts an index key: [0x02][tenant][table][index]; append index then pk components. */
  static ByteWriter indexKey(TenantId tenant, long table, int index, int extra) {
    ByteWriter w = new ByteWriter(21 + extra);
    w.u8(INDEX);
    u64(w, tenant.value());
    u64(w, table);
    for (int i = 3; i >= 0; i--) {
      w.u8(index >>> (8 * i));
    }
    return w;
  }

  static int indexPrefixLength() {
    return 21;
  }

  /** Every row of a table. */
  static KeyRange tableRows(TenantId tenant, long table) {
    return KeyRange.prefix(rowKey(tenant, table, 0).toByteArray());
  }

  /** Every catalog entry of a tenant's tables. */
  static KeyRange tenantTables(TenantId tenant) {
    ByteWriter w = new ByteWriter(10);
    w.u8(CATALOG);
    u64(w, tenant.value());
    return KeyRange.prefix(w.u8(CATALOG_TABLE).toByteArray());
  }
}
