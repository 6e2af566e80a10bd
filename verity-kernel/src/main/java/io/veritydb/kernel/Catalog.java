package io.veritydb.kernel;

import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the catalog (a tenant's tables and indexes) from the store as of any position. The catalog
 * is written by {@link Kernel} like any other data, so it is derived from the log and versioned.
 *
 * <pre>
 * table descriptor := [version u8 = 1][table id i64 LE][name string]
 *                     [varint n][n x (name string, type, notNull u8)]
 *                     [varint k][k x pk ordinal varint]
 *                     [varint m][m x (index name string, index id varint, varint c, c x ordinal)]
 *                     [next index id varint]
 * </pre>
 */
public final class Catalog {
  private Catalog() {}

  static final int VERSION = 1;

  /** The table {@code name} as of the reader's position, or null when it does not exist. */
  public static TableDef find(StoreReader reader, TenantId tenant, String name) {
    return find(reader, reader.position(), tenant, name);
  }

  /** The table {@code name} right after {@code at}, or null when it did not exist then. */
  public static TableDef find(StoreReader reader, LogPosition at, TenantId tenant, String name) {
    byte[] bytes = reader.getAt(Keyspace.tableEntry(tenant, name), at);
    return bytes == null ? null : decode(bytes);
  }

  /** Like {@link #find} but a missing table is a {@link BadRequestException}. */
  public static TableDef require(StoreReader reader, LogPosition at, TenantId tenant, String name) {
    TableDef t = find(reader, at, tenant, name);
    if (t == null) {
      throw missing(reader, at, name);
    }
    return t;
  }

  /**
   * The stored descriptor of table {@code name} right after {@code at} (decode it with {@link
   * #decode}), or null when the table did not exist then. Every change of the table's definition
   * (an index added) rewrites it, and a table's descriptor decodes to the same definition wherever
   * it is found, so equal bytes mean an equal definition: a cache keyed by these bytes is never
   * stale, whatever the store, tenant or position. Do not modify the array.
   */
  public static byte[] entry(StoreReader reader, LogPosition at, TenantId tenant, String name) {
    return reader.getAt(Keyspace.tableEntry(tenant, name), at);
  }

  /**
   * The store key of table {@code name}'s descriptor, for {@link #entry(StoreReader, LogPosition,
   * byte[])}.
   */
  public static byte[] entryKey(TenantId tenant, String name) {
    return Keyspace.tableEntry(tenant, name);
  }

  /** {@link #entry(StoreReader, LogPosition, TenantId, String)} by a key from {@link #entryKey}. */
  public static byte[] entry(StoreReader reader, LogPosition at, byte[] entryKey) {
    return reader.getAt(entryKey, at);
  }

  /** The error {@link #require} reports for a table that does not exist at {@code at}. */
  public static BadRequestException missing(StoreReader reader, LogPosition at, String name) {
    return new BadRequestException(
        "table " + name + " does not exist" + (at.equals(reader.position()) ? "" : " at " + at));
  }

  /** Every table of the tenant as of {@code at}, by name. */
  public static List<TableDef> tables(StoreReader reader, LogPosition at, TenantId tenant) {
    List<TableDef> out = new ArrayList<>();
    try (StoreCursor c =
        reader.scanAt(Keyspace.tenantTables(tenant), at, false, Integer.MAX_VALUE)) {
      while (c.next()) {
        out.add(decode(c.value()));
      }
    }
    return out;
  }

  /** The table owning index {@code index} at the reader's position, or null. */
  static String indexOwner(StoreReader reader, TenantId tenant, String index) {
    byte[] bytes = reader.get(Keyspace.indexNameEntry(tenant, index));
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static long nextTableId(StoreReader reader, TenantId tenant) {
    byte[] bytes = reader.get(Keyspace.nextTableIdEntry(tenant));
    return bytes == null ? 1 : new ByteReader(bytes, "next table id").i64();
  }

  static byte[] encodeNextTableId(long id) {
    return new ByteWriter(8).i64(id).toByteArray();
  }

  static byte[] encode(TableDef t) {
    ByteWriter w = new ByteWriter(64);
    w.u8(VERSION).i64(t.id()).string(t.name()).varint(t.columnCount());
    for (ColumnDef c : t.columns()) {
      w.string(c.name());
      CommandCodec.type(w, c.type());
      w.u8(c.notNull() ? 1 : 0);
    }
    int[] pk = t.primaryKey();
    w.varint(pk.length);
    for (int p : pk) {
      w.varint(p);
    }
    w.varint(t.indexes().size());
    for (IndexDef ix : t.indexes()) {
      w.string(ix.name()).varint(ix.id()).varint(ix.columns().size());
      for (int c : ix.columns()) {
        w.varint(c);
      }
    }
    w.varint(t.nextIndexId());
    return w.toByteArray();
  }

  /**
   * Decodes a table descriptor (as {@link #entry} returns it). Bytes that are not a well-formed
   * descriptor (truncated, a table id below 1, no column, no primary key, a column ordinal out of
   * range, an index id below 1 or without a column) are a {@link CorruptionException} naming the
   * catalog entry.
   */
  public static TableDef decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, "catalog entry");
    r.version(VERSION);
    long id = r.i64();
    if (id <= 0) {
      throw r.corrupt("table id " + id);
    }
    String name = r.string();
    int n = r.count(TableDef.MAX_COLUMNS);
    if (n == 0) {
      throw r.corrupt("table " + name + " has no column");
    }
    List<ColumnDef> cols = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      cols.add(new ColumnDef(r.string(), CommandCodec.type(r), r.u8() == 1));
    }
    int k = r.count(n);
    if (k == 0) {
      throw r.corrupt("table " + name + " has no primary key");
    }
    int[] pk = new int[k];
    for (int i = 0; i < k; i++) {
      pk[i] = ordinal(r, n);
    }
    int m = r.count(TableDef.MAX_INDEXES);
    List<IndexDef> indexes = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      String ixName = r.string();
      int ixId = r.varint();
      int c = r.count(n);
      if (ixId == 0 || c == 0) {
        throw r.corrupt("index " + ixName + " has id " + ixId + " and " + c + " columns");
      }
      List<Integer> ords = new ArrayList<>(c);
      for (int j = 0; j < c; j++) {
        ords.add(ordinal(r, n));
      }
      indexes.add(new IndexDef(ixName, ixId, ords));
    }
    int next = r.varint();
    r.expectEnd();
    return new TableDef(id, name, cols, pk, indexes, next);
  }

  /** A column ordinal of a table with {@code columns} columns. */
  private static int ordinal(ByteReader r, int columns) {
    int ordinal = r.varint();
    if (ordinal >= columns) {
      throw r.corrupt("column ordinal " + ordinal + " of a table with " + columns + " columns");
    }
    return ordinal;
  }
}
