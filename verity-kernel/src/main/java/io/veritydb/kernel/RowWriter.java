package io.veritydb.kernel;

import io.veritydb.store.StoreReader;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * INSERT, UPDATE and DELETE: constraint checks and the row and index writes they make. Each command
 * is all-or-nothing: any violation throws before the batch is returned, and the kernel then
 * discards the batch.
 */
final class RowWriter {
  private RowWriter() {}

  private static final Object[] NO_PARAMS = new Object[0];

  static byte[] rowKey(TenantId tenant, TableDef table, Object[] values) {
    ByteWriter w = Keyspace.rowKey(tenant, table.id(), 16);
    appendPrimaryKey(w, table, values);
    if (w.size() > Kernel.MAX_KEY_BYTES) {
      throw keyTooLong(
          "primary key " + table.primaryKeyNames() + " of table " + table.name(), w.size());
    }
    return w.toByteArray();
  }

  static byte[] indexKey(TenantId tenant, TableDef table, IndexDef index, Object[] values) {
    ByteWriter w = Keyspace.indexKey(tenant, table.id(), index.id(), 24);
    for (int ord : index.columns()) {
      KeyCodec.encode(w, values[ord], table.column(ord).type());
    }
    appendPrimaryKey(w, table, values);
    if (w.size() > Kernel.MAX_KEY_BYTES) {
      throw keyTooLong("entry of index " + index.name() + " on table " + table.name(), w.size());
    }
    return w.toByteArray();
  }

  private static void appendPrimaryKey(ByteWriter w, TableDef table, Object[] values) {
    for (int i = 0; i < table.primaryKeyLength(); i++) {
      int ord = table.primaryKeyOrdinal(i);
      KeyCodec.encode(w, values[ord], table.column(ord).type());
    }
  }

  /** {@code what} (a key being built) encodes to {@code size} bytes, over the key limit. */
  private static ConstraintViolationException keyTooLong(String what, int size) {
    return new ConstraintViolationException(
        what + " is too long: " + size + " bytes encoded, at most " + Kernel.MAX_KEY_BYTES);
  }

  private static String duplicate(TableDef table, Object[] values) {
    StringBuilder sb = new StringBuilder("duplicate primary key ");
    sb.append(table.primaryKeyNames()).append("=(");
    for (int i = 0; i < table.primaryKeyLength(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Values.render(values[table.primaryKeyOrdinal(i)]));
    }
    return sb.append(") in table ").append(table.name()).toString();
  }

  private static java.util.NavigableSet<byte[]> keySet() {
    return new TreeSet<>(Arrays::compareUnsigned);
  }

  static long insert(
      StoreReader view, TenantId tenant, TableDef table, Command.Insert c, WriteBatch batch) {
    int n = table.columnCount();
    int[] ords = new int[c.columns().isEmpty() ? n : c.columns().size()];
    boolean[] given = new boolean[n];
    for (int i = 0; i < ords.length; i++) {
      ords[i] = c.columns().isEmpty() ? i : table.requireOrdinal(c.columns().get(i));
      if (given[ords[i]]) {
        throw new BadRequestException(
            "column " + table.column(ords[i]).name() + " is given twice in INSERT");
      }
      given[ords[i]] = true;
    }
    if (c.rows().size() > Kernel.MAX_ROWS_PER_COMMAND) {
      throw new BadRequestException(
          "too many rows in one INSERT: " + c.rows().size() + " > " + Kernel.MAX_ROWS_PER_COMMAND);
    }
    // Every row is converted and keyed first; the first failing row stops that. A duplicate key
    // in an earlier row is still the error, as when rows were checked one by one in order.
    int count = c.rows().size();
    Object[][] converted = new Object[count][];
    byte[][] keys = new byte[count][];
    RuntimeException failure = null;
    int valid = 0;
    for (Object[] row : c.rows()) {
      try {
        converted[valid] = convert(table, row, ords, given, valid + 1);
        keys[valid] = rowKey(tenant, table, converted[valid]);
      } catch (ConstraintViolationException | BadRequestException e) {
        failure = e;
        break;
      }
      valid++;
    }
    int dup = BatchKeys.firstDuplicate(view, keys, valid);
    if (dup >= 0) {
      throw new ConstraintViolationException(duplicate(table, converted[dup]));
    }
    if (failure != null) {
      throw failure;
    }
    for (int i = 0; i < count; i++) {
      batch.put(keys[i], RowCodec.encode(table, converted[i]));
      for (IndexDef ix : table.indexes()) {
        batch.put(indexKey(tenant, table, ix, converted[i]), Keyspace.INDEX_VALUE);
      }
    }
    return count;
  }

  /** Row {@code rowNumber} (1-based) as all the table's values, checked for the columns. */
  private static Object[] convert(
      TableDef table, Object[] row, int[] ords, boolean[] given, int rowNumber) {
    if (row.length != ords.length) {
      throw new BadRequestException(
          "row " + rowNumber + " has " + row.length + " values for " + ords.length + " columns");
    }
    int n = table.columnCount();
    Object[] values = new Object[n];
    for (int i = 0; i < ords.length; i++) {
      values[ords[i]] = Values.forColumn(row[i], table.column(ords[i]), table.name());
    }
    for (int i = 0; i < n; i++) {
      if (!given[i] && table.column(i).notNull()) {
        throw new ConstraintViolationException(
            "NULL in NOT NULL column "
                + table.column(i).name()
                + " of table "
                + table.name()
                + " (no value given)");
      }
    }
    return values;
  }

  /** A matched row: its key and all its values. */
  private static final class Match {
    final byte[] key;
    final Object[] values;

    Match(byte[] key, Object[] values) {
      this.key = key;
      this.values = values;
    }
  }

  private static List<Match> matches(
      StoreReader view, TenantId tenant, TableDef table, Expr where) {
    CompiledExpr filter = CompiledExpr.predicate(table, where, NO_PARAMS);
    AccessPath path = AccessPlanner.plan(tenant, table, filter);
    List<Match> out = new ArrayList<>();
    try (RowIterator it =
        RowIterator.open(view, view.position(), path, filter, false, null).keepingKeys()) {
      while (it.next()) {
        if (out.size() >= Kernel.MAX_ROWS_PER_COMMAND) {
          throw new BadRequestException(
              "statement touches more than " + Kernel.MAX_ROWS_PER_COMMAND + " rows");
        }
        out.add(new Match(it.rowKey(), it.row()));
      }
    }
    return out;
  }

  static long delete(
      StoreReader view, TenantId tenant, TableDef table, Command.Delete c, WriteBatch batch) {
    List<Match> rows = matches(view, tenant, table, c.where());
    for (Match m : rows) {
      batch.delete(m.key);
      for (IndexDef ix : table.indexes()) {
        batch.delete(indexKey(tenant, table, ix, m.values));
      }
    }
    return rows.size();
  }

  static long update(
      StoreReader view, TenantId tenant, TableDef table, Command.Update c, WriteBatch batch) {
    if (c.assignments().isEmpty()) {
      throw new BadRequestException("UPDATE needs at least one SET column");
    }
    int k = c.assignments().size();
    int[] targets = new int[k];
    CompiledExpr[] sources = new CompiledExpr[k];
    boolean touchesKey = false;
    for (int i = 0; i < k; i++) {
      Command.Assignment a = c.assignments().get(i);
      targets[i] = table.requireOrdinal(a.column());
      for (int j = 0; j < i; j++) {
        if (targets[j] == targets[i]) {
          throw new BadRequestException("column " + a.column() + " is set twice in UPDATE");
        }
      }
      if (!Exprs.isValue(a.value())) {
        throw new BadRequestException(
            "SET "
                + a.column()
                + " = "
                + Exprs.toSql(a.value())
                + ": only values, columns and + - * are allowed");
      }
      Expr value = a.value();
      if (value instanceof Expr.Literal l) {
        // A value the column cannot hold is rejected whether or not a row matches, as in INSERT.
        value =
            new Expr.Literal(Values.forColumn(l.value(), table.column(targets[i]), table.name()));
      }
      sources[i] = CompiledExpr.value(table, value, NO_PARAMS);
      touchesKey |= table.isPrimaryKeyColumn(targets[i]);
    }
    List<Match> rows = matches(view, tenant, table, c.where());
    List<byte[]> deletes = new ArrayList<>();
    TreeMap<byte[], byte[]> puts = new TreeMap<>(Arrays::compareUnsigned);
    java.util.Set<byte[]> movedFrom = keySet();
    java.util.Set<byte[]> movedTo = keySet();
    List<Object[]> moved = new ArrayList<>();
    for (Match m : rows) {
      Object[] next = m.values.clone();
      for (int i = 0; i < k; i++) {
        next[targets[i]] =
            Values.forColumn(sources[i].eval(m.values), table.column(targets[i]), table.name());
      }
      byte[] key = touchesKey ? rowKey(tenant, table, next) : m.key;
      if (!Arrays.equals(key, m.key)) {
        deletes.add(m.key);
        movedFrom.add(m.key);
        if (!movedTo.add(key)) {
          throw new ConstraintViolationException(duplicate(table, next));
        }
        moved.add(next);
      }
      puts.put(key, RowCodec.encode(table, next));
      for (IndexDef ix : table.indexes()) {
        byte[] oldEntry = indexKey(tenant, table, ix, m.values);
        byte[] newEntry = indexKey(tenant, table, ix, next);
        if (!Arrays.equals(oldEntry, newEntry)) {
          deletes.add(oldEntry);
          puts.put(newEntry, Keyspace.INDEX_VALUE);
        }
      }
    }
    for (Object[] next : moved) {
      byte[] key = rowKey(tenant, table, next);
      if (view.get(key) != null && !movedFrom.contains(key)) {
        throw new ConstraintViolationException(duplicate(table, next));
      }
    }
    for (byte[] key : deletes) {
      batch.delete(key);
    }
    for (var e : puts.entrySet()) {
      batch.put(e.getKey(), e.getValue());
    }
    return rows.size();
  }
}
