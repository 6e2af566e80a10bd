package io.veritydb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * What the database must contain: per tenant, tables with their rows and history by position.
 * Advanced only by commands known to be in the log (acknowledged, or found in the log after a
 * restart), in position order.
 */
final class Model {
  /** What a command must do when applied: be rejected, or affect this many rows. */
  record Expect(boolean rejected, long rows) {}

  /** A command's effect on the model, decided when it is applied at its position. */
  interface Effect {
    Expect apply(Model model, long position);
  }

  private final TreeMap<Long, TreeMap<String, TableModel>> tenants = new TreeMap<>();
  private long position;
  private final List<String> requests = new ArrayList<>();

  long position() {
    return position;
  }

  /** Applies the command with request id {@code request} at the next position. */
  Expect advance(Effect effect, String request) {
    position++;
    requests.add(request);
    return effect.apply(this, position);
  }

  /** The request id of the command at {@code position} (1-based). */
  String requestAt(long position) {
    return requests.get((int) position - 1);
  }

  TableModel table(long tenant, String name) {
    TreeMap<String, TableModel> tables = tenants.get(tenant);
    return tables == null ? null : tables.get(name);
  }

  /** The tables of {@code tenant} that exist now, in name order. */
  List<TableModel> tables(long tenant) {
    TreeMap<String, TableModel> tables = tenants.get(tenant);
    return tables == null ? List.of() : new ArrayList<>(tables.values());
  }

  /** A random existing table of {@code tenant}, or null. */
  TableModel randomTable(long tenant, Random r) {
    List<TableModel> all = tables(tenant);
    return all.isEmpty() ? null : all.get(r.nextInt(all.size()));
  }

  /** A random tenant, preferring one that has tables. */
  long busyTenant(Random r) {
    long tenant = Workload.tenant(r);
    if (tables(tenant).isEmpty() && !tenants.isEmpty()) {
      List<Long> all = tenants();
      tenant = all.get(r.nextInt(all.size()));
    }
    return tenant;
  }

  List<Long> tenants() {
    return new ArrayList<>(tenants.keySet());
  }

  static Effect createTable(long tenant, TableModel proto) {
    return (m, position) -> {
      TreeMap<String, TableModel> tables = m.tenants.computeIfAbsent(tenant, t -> new TreeMap<>());
      if (tables.containsKey(proto.name)) {
        return new Expect(true, 0);
      }
      tables.put(
          proto.name,
          new TableModel(proto.name, proto.names, proto.types, proto.pkCount, position));
      return new Expect(false, 0);
    };
  }

  static Effect noop() {
    return (m, position) -> new Expect(false, 0);
  }

  static Effect insert(long tenant, String table, List<Object[]> rows) {
    return (m, position) -> {
      TableModel t = m.table(tenant, table);
      List<String> keys = new ArrayList<>();
      for (Object[] row : t.rows()) {
        keys.add(t.key(row));
      }
      java.util.TreeSet<String> seen = new java.util.TreeSet<>(keys);
      for (Object[] row : rows) {
        if (!seen.add(t.key(row))) {
          return new Expect(true, 0);
        }
      }
      List<Object[]> next = new ArrayList<>(t.rows());
      next.addAll(rows);
      t.set(position, next);
      return new Expect(false, rows.size());
    };
  }

  static Effect update(long tenant, String table, int col, Object value, Pred where) {
    return (m, position) -> {
      TableModel t = m.table(tenant, table);
      List<Object[]> next = new ArrayList<>();
      long count = 0;
      for (Object[] row : t.rows()) {
        if (Boolean.TRUE.equals(Pred.eval(where, row))) {
          Object[] changed = row.clone();
          changed[col] = value;
          next.add(changed);
          count++;
        } else {
          next.add(row);
        }
      }
      if (count > 0) {
        t.set(position, next);
      }
      return new Expect(false, count);
    };
  }

  static Effect delete(long tenant, String table, Pred where) {
    return (m, position) -> {
      TableModel t = m.table(tenant, table);
      List<Object[]> next = new ArrayList<>();
      for (Object[] row : t.rows()) {
        if (!Boolean.TRUE.equals(Pred.eval(where, row))) {
          next.add(row);
        }
      }
      long count = (long) t.rows().size() - next.size();
      if (count > 0) {
        t.set(position, next);
      }
      return new Expect(false, count);
    };
  }
}
