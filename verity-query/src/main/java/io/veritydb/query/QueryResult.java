package io.veritydb.query;

import io.veritydb.types.SqlType;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a SELECT (or the plan of an EXPLAIN): column names, their types, and the rows as
 * arrays of plain Java values in column order. Immutable once returned; do not modify the arrays.
 */
public final class QueryResult {
  private final List<String> columnNames;
  private final List<SqlType> columnTypes;
  private final List<Object[]> rows;

  QueryResult(List<String> columnNames, List<SqlType> columnTypes, List<Object[]> rows) {
    this.columnNames = List.copyOf(columnNames);
    this.columnTypes = List.copyOf(columnTypes);
    this.rows = Collections.unmodifiableList(rows);
  }

  public List<String> columnNames() {
    return columnNames;
  }

  public List<SqlType> columnTypes() {
    return columnTypes;
  }

  /** The rows; each array has one value per column. */
  public List<Object[]> rows() {
    return rows;
  }

  public int size() {
    return rows.size();
  }

  @Override
  public String toString() {
    return "QueryResult" + columnNames + " " + rows.size() + " rows";
  }
}
