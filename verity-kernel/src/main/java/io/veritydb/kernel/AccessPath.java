package io.veritydb.kernel;

import io.veritydb.store.KeyRange;
import java.util.List;

/**
 * How to fetch a table's candidate rows for a predicate: a primary key point, IN list or range, a
 * secondary index point, IN list or range, or a full scan. Rows come out in key order: primary key
 * order for PK paths and scans, index column order (then primary key) for index paths. The full
 * predicate is always re-checked on every fetched row.
 */
public final class AccessPath {
  /** The kinds of access. */
  public enum Kind {
    PK_POINT,
    PK_IN,
    PK_RANGE,
    INDEX_POINT,
    INDEX_IN,
    INDEX_RANGE,
    SCAN
  }

  private final Kind kind;
  private final TableDef table;
  private final IndexDef index;
  private final List<KeyRange> ranges;
  private final byte[] pointKey;
  private String detail;
  private final Object[] pointValues;
  private final int equalities;

  AccessPath(
      Kind kind,
      TableDef table,
      IndexDef index,
      List<KeyRange> ranges,
      byte[] pointKey,
      String detail,
      int equalities) {
    this.equalities = equalities;
    this.kind = kind;
    this.table = table;
    this.index = index;
    this.ranges = ranges == null ? List.of() : List.copyOf(ranges);
    this.pointKey = pointKey == null ? null : pointKey.clone();
    this.detail = detail;
    this.pointValues = null;
  }

  /**
   * A primary key point; {@code key} is owned by the path from now on, {@code values} are the key
   * values by key column (EXPLAIN's detail is rendered from them only when asked).
   */
  private AccessPath(TableDef table, byte[] key, Object[] values) {
    this.kind = Kind.PK_POINT;
    this.table = table;
    this.index = null;
    this.ranges = List.of();
    this.pointKey = key;
    this.detail = null;
    this.pointValues = values;
    this.equalities = values.length;
  }

  static AccessPath point(TableDef table, byte[] key, Object[] values) {
    return new AccessPath(table, key, values);
  }

  public Kind kind() {
    return kind;
  }

  public TableDef table() {
    return table;
  }

  /** The index used, or null for primary key paths and scans. */
  public IndexDef index() {
    return index;
  }

  /** The key ranges to read, in ascending key order (empty for PK_POINT). */
  List<KeyRange> ranges() {
    return ranges;
  }

  byte[] pointKey() {
    return pointKey;
  }

  /**
   * How many leading columns of {@link #order()} the path binds to one value each: the rows are
   * also sorted by the order columns after these.
   */
  public int equalities() {
    return equalities;
  }

  /** The column ordinals the rows come out sorted by (ascending, NULL first). */
  public List<Integer> order() {
    if (index == null) {
      List<Integer> pk = new java.util.ArrayList<>();
      for (int p : table.primaryKey()) {
        pk.add(p);
      }
      return pk;
    }
    List<Integer> cols = new java.util.ArrayList<>(index.columns());
    for (int p : table.primaryKey()) {
      cols.add(p);
    }
    return cols;
  }

  /** One line for EXPLAIN, e.g. {@code INDEX_RANGE patients_ward (ward = 3)}. */
  public String describe() {
    if (detail == null) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < pointValues.length; i++) {
        sb.append(i == 0 ? "" : " AND ")
            .append(table.column(table.primaryKeyOrdinal(i)).name())
            .append(" = ")
            .append(Values.render(pointValues[i]));
      }
      detail = sb.toString();
    }
    String target = index == null ? table.name() : index.name() + " ON " + table.name();
    return kind + " " + target + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  @Override
  public String toString() {
    return describe();
  }
}
