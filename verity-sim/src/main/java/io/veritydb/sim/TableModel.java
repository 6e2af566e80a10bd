package io.veritydb.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model of one table: its schema (names, types, which columns are NOT NULL: the primary key's
 * and those declared so) and its rows after every position that changed it (rows are never modified
 * in place, so each version is an immutable list).
 */
final class TableModel {
  final String name;
  final List<String> names;
  final List<ColType> types;
  final List<Boolean> notNull;
  final int pkCount;
  final long createdAt;
  private final TreeMap<Long, List<Object[]>> versions = new TreeMap<>();

  TableModel(
      String name,
      List<String> names,
      List<ColType> types,
      List<Boolean> notNull,
      int pkCount,
      long createdAt) {
    this.name = name;
    this.names = List.copyOf(names);
    this.types = List.copyOf(types);
    this.notNull = List.copyOf(notNull);
    this.pkCount = pkCount;
    for (int i = 0; i < pkCount; i++) {
      if (!notNull.get(i)) {
        throw new IllegalArgumentException("primary key column " + names.get(i) + " is NOT NULL");
      }
    }
    this.createdAt = createdAt;
    versions.put(createdAt, List.of());
  }

  List<Object[]> rows() {
    return versions.lastEntry().getValue();
  }

  /** The rows right after {@code position}, or null when the table did not exist then. */
  List<Object[]> rowsAt(long position) {
    Map.Entry<Long, List<Object[]>> e = versions.floorEntry(position);
    return e == null ? null : e.getValue();
  }

  void set(long position, List<Object[]> rows) {
    versions.put(position, Collections.unmodifiableList(new ArrayList<>(rows)));
  }

  String key(Object[] row) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pkCount; i++) {
      b.append(ColType.literal(row[i])).append('|');
    }
    return b.toString();
  }

  /** How the engine names the primary key of {@code row} in a duplicate key rejection. */
  String duplicate(Object[] row) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < pkCount; i++) {
      values.add(ColType.render(row[i]));
    }
    return "duplicate primary key ("
        + String.join(", ", names.subList(0, pkCount))
        + ")=("
        + String.join(", ", values)
        + ") in table "
        + name;
  }

  /** Column {@code col} checks {@code v}: what it stores, or why the kernel rejects it. */
  ColType.Checked check(int col, Object v) {
    return types.get(col).check(v, notNull.get(col), names.get(col), name);
  }

  /** A value for column {@code col}: NULL one time in five where the column allows it. */
  Object value(int col, java.util.Random r) {
    ColType type = types.get(col);
    if (col < pkCount) {
      return type.keyValue(r);
    }
    return notNull.get(col) ? type.value(r) : type.nullable(r);
  }

  /** Orders rows by the primary key, ascending. */
  Comparator<Object[]> pkOrder() {
    return (x, y) -> {
      for (int i = 0; i < pkCount; i++) {
        int c = ColType.compare(x[i], y[i]);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  String ddl() {
    StringBuilder b = new StringBuilder("CREATE TABLE ").append(name).append(" (");
    for (int i = 0; i < names.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(types.get(i).sql);
      if (i >= pkCount && notNull.get(i)) {
        b.append(" NOT NULL");
      }
    }
    b.append(", PRIMARY KEY (").append(String.join(", ", names.subList(0, pkCount))).append("))");
    return b.toString();
  }
}
