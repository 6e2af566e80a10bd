package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table as the catalog holds it at some log position: id, name, columns, primary key column
 * ordinals, secondary indexes, and the next index number. Immutable.
 */
public final class TableDef {
  /** The most columns a table may have. */
  public static final int MAX_COLUMNS = 1000;

  /** The most secondary indexes a table may have. */
  public static final int MAX_INDEXES = 64;

  private final long id;
  private final String name;
  private final List<ColumnDef> columns;
  private final int[] primaryKey;
  private final List<IndexDef> indexes;
  private final int nextIndexId;

  public TableDef(
      long id,
      String name,
      List<ColumnDef> columns,
      int[] primaryKey,
      List<IndexDef> indexes,
      int nextIndexId) {
    Checks.checkArgument(id > 0, "tableId", id);
    this.id = id;
    this.name = Checks.checkNotNull(name, "name");
    this.columns = List.copyOf(columns);
    this.primaryKey = primaryKey.clone();
    this.indexes = List.copyOf(indexes);
    this.nextIndexId = nextIndexId;
    Checks.checkArgument(!this.columns.isEmpty(), "a table needs at least one column");
    Checks.checkArgument(this.primaryKey.length > 0, "a table needs a primary key");
    for (int p : this.primaryKey) {
      Checks.checkArgument(p >= 0 && p < this.columns.size(), "pkOrdinal", p);
    }
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public List<ColumnDef> columns() {
    return columns;
  }

  public int columnCount() {
    return columns.size();
  }

  public ColumnDef column(int ordinal) {
    return columns.get(ordinal);
  }

  /** The primary key column ordinals, in key order. */
  public int[] primaryKey() {
    return primaryKey.clone();
  }

  int primaryKeyLength() {
    return primaryKey.length;
  }

  int primaryKeyOrdinal(int i) {
    return primaryKey[i];
  }

  public List<IndexDef> indexes() {
    return indexes;
  }

  public int nextIndexId() {
    return nextIndexId;
  }

  /** The ordinal of column {@code name}, or -1. */
  public int ordinalOf(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) {
        return i;
      }
    }
    return -1;
  }

  /** The ordinal of column {@code name}, or a {@link BadRequestException} naming it. */
  public int requireOrdinal(String columnName) {
    int i = ordinalOf(columnName);
    if (i < 0) {
      throw new BadRequestException(
          "column "
              + columnName
              + " does not exist in table "
              + name
              + " (columns: "
              + names()
              + ")");
    }
    return i;
  }

  /** Whether column {@code ordinal} is part of the primary key. */
  public boolean isPrimaryKeyColumn(int ordinal) {
    for (int p : primaryKey) {
      if (p == ordinal) {
        return true;
      }
    }
    return false;
  }

  public List<String> columnNames() {
    List<String> out = new ArrayList<>(columns.size());
    for (ColumnDef c : columns) {
      out.add(c.name());
    }
    return out;
  }

  private String names() {
    return String.join(", ", columnNames());
  }

  /** A copy with one more index. */
  TableDef withIndex(IndexDef index) {
    List<IndexDef> more = new ArrayList<>(indexes);
    more.add(index);
    return new TableDef(id, name, columns, primaryKey, more, Math.max(nextIndexId, index.id() + 1));
  }

  /** The primary key columns by name, for messages: {@code (id, ward)}. */
  String primaryKeyNames() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < primaryKey.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(columns.get(primaryKey[i]).name());
    }
    return sb.append(')').toString();
  }

  @Override
  public String toString() {
    return "table " + name.toLowerCase(Locale.ROOT) + " #" + id;
  }
}
