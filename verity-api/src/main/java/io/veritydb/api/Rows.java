package io.veritydb.api;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The result of a query: its column names and rows, read from one consistent snapshot at {@link
 * #position()}. Fully materialised; safe to iterate from any thread, any number of times.
 */
public final class Rows implements Iterable<Row> {
  private final List<String> columnNames;
  private final List<SqlType> columnTypes;
  private final List<Object[]> values;
  private final LogPosition position;

  Rows(
      List<String> columnNames,
      List<SqlType> columnTypes,
      List<Object[]> values,
      LogPosition position) {
    this.columnNames = List.copyOf(columnNames);
    this.columnTypes = columnTypes == null ? null : Collections.unmodifiableList(columnTypes);
    this.values = values;
    this.position = position;
  }

  /** The result's column names, in order. */
  public List<String> columnNames() {
    return columnNames;
  }

  /** The number of rows. */
  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The log position the query read at. */
  public LogPosition position() {
    return position;
  }

  /** The row at {@code index} (0-based). */
  public Row get(int index) {
    if (index < 0 || index >= values.size()) {
      throw new BadRequestException(
          "row index " + index + " is out of range: the result has " + values.size() + " rows");
    }
    return new Row(this, values.get(index));
  }

  @Override
  public Iterator<Row> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < values.size();
      }

      @Override
      public Row next() {
        if (next >= values.size()) {
          throw new NoSuchElementException();
        }
        return new Row(Rows.this, values.get(next++));
      }
    };
  }

  int indexOf(String column) {
    for (int i = 0; i < columnNames.size(); i++) {
      if (columnNames.get(i).equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new BadRequestException(
        "no column "
            + column.toLowerCase(Locale.ROOT)
            + " in this result; its columns are "
            + columnNames);
  }

  String columnTypeName(int index) {
    return columnTypes == null ? "of another type" : columnTypes.get(index).sql();
  }

  @Override
  public String toString() {
    return "Rows" + columnNames + " x " + values.size() + " at " + position;
  }
}
