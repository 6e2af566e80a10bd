package io.veritydb.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model of one table: its schema and its rows after every position that changed it (rows are
 * never modified in place, so each version is an immutable list).
 */
final class TableModel {
  final String name;
  final List<String> names;
  final List<ColType> types;
  final int pkCount;
  final long createdAt;
  private final TreeMap<Long, List<Object[]>> versions = new TreeMap<>();

  TableModel(String name, List<String> names, List<ColType> types, int pkCount, long createdAt) {
    this.name = name;
    this.names = List.copyOf(names);
    this.types = List.copyOf(types);
    this.pkCount = pkCount;
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
    }
    b.append(", PRIMARY KEY (").append(String.join(", ", names.subList(0, pkCount))).append("))");
    return b.toString();
  }
}
