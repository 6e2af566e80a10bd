package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * Row keys for code outside the kernel that must name a row by its primary key (the runtime's row
 * history), without knowing the key encoding.
 */
public final class RowKeys {
  private RowKeys() {}

  /** The store key of the row of {@code table} whose primary key is {@code pk}, in key order. */
  public static byte[] of(TenantId tenant, TableDef table, Object... pk) {
    int[] key = table.primaryKey();
    if (pk == null || pk.length != key.length) {
      List<String> names = new ArrayList<>();
      for (int ordinal : key) {
        names.add(table.column(ordinal).name());
      }
      throw new BadRequestException(
          "table "
              + table.name()
              + " has the primary key "
              + names
              + ": give "
              + key.length
              + " value(s), not "
              + (pk == null ? 0 : pk.length));
    }
    Object[] values = new Object[table.columnCount()];
    for (int i = 0; i < key.length; i++) {
      ColumnDef column = table.column(key[i]);
      if (pk[i] == null) {
        throw new BadRequestException("primary key column " + column.name() + " is never NULL");
      }
      values[key[i]] =
          Values.forComparison(pk[i], column.type(), "primary key column " + column.name());
    }
    return RowWriter.rowKey(tenant, table, values);
  }

  /** Whether {@code key} is the key of a table row (not a catalog or index entry). */
  public static boolean isRowKey(byte[] key) {
    return key.length > Keyspace.rowPrefixLength() && key[0] == Keyspace.ROWS;
  }
}
