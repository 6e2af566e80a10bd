package io.veritydb.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the database must contain: per tenant, tables with their rows and history by position, and
 * the audit trail (who asked what at each position, and its outcome). Advanced only by commands
 * known to be in the log (acknowledged, or found in the log after a restart), in position order.
 */
final class Model {
  /**
   * What a command must do when applied: be rejected with one of {@code reasons} (the message of
   * the caller's ConstraintViolationException and of the audit entry), or affect this many rows.
   */
  record Expect(boolean rejected, long rows, Set<String> reasons) {
    static Expect applied(long rows) {
      return new Expect(false, rows, Set.of());
    }

    static Expect rejected(String reason) {
      return new Expect(true, 0, Set.of(reason));
    }

    /** Rejected with any of {@code reasons} (which one depends on the order rows are visited). */
    static Expect rejected(Set<String> reasons) {
      return new Expect(true, 0, Set.copyOf(reasons));
    }

    boolean explains(String message) {
      return rejected && reasons.contains(message);
    }

    @Override
    public String toString() {
      return rejected ? "rejected " + reasons : "applied, rows " + rows;
    }
  }

  /** A command's effect on the model, decided when it is applied at its position. */
  interface Effect {
    Expect apply(Model model, long position);
  }

  /** The audit entry the command at {@code position} must have. */
  record Entry(
      long position, long tenant, String actor, String request, String statement, Expect expect) {}

  private final TreeMap<Long, TreeMap<String, TableModel>> tenants = new TreeMap<>();
  private long position;
  private final List<Entry> entries = new ArrayList<>();

  long position() {
    return position;
  }

  /**
   * Applies the command of {@code tenant} with request id {@code request}, asked by {@code actor},
   * at the next position; {@code statement} is how its audit entry names it.
   */
  Expect advance(Effect effect, long tenant, String actor, String request, String statement) {
    position++;
    Expect expect = effect.apply(this, position);
    entries.add(new Entry(position, tenant, actor, request, statement, expect));
    return expect;
  }

  /** The request id of the command at {@code position} (1-based). */
  String requestAt(long position) {
    return entries.get((int) position - 1).request();
  }

  /** The audit trail of {@code tenant}, oldest first. */
  List<Entry> trail(long tenant) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.tenant() == tenant) {
        out.add(e);
      }
    }
    return out;
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
        throw new IllegalStateException("the workload names each table once: " + proto.name);
      }
      tables.put(
          proto.name,
          new TableModel(
              proto.name, proto.names, proto.types, proto.notNull, proto.pkCount, position));
      return Expect.applied(0);
    };
  }

  static Effect noop() {
    return (m, position) -> Expect.applied(0);
  }

  /**
   * INSERT of {@code rows}, each holding the values of columns {@code cols} (ordinals, in the order
   * the statement lists them). The kernel's order of checks: each row in turn, its values in the
   * listed order, then the NOT NULL columns left out; the first row that fails stops there. The
   * first duplicate key among the rows before it (against the table or an earlier row) is the
   * rejection; else that row's failure.
   */
  static Effect insert(long tenant, String table, int[] cols, List<Object[]> rows) {
    return (m, position) -> {
      TableModel t = m.table(tenant, table);
      boolean[] given = new boolean[t.names.size()];
      for (int c : cols) {
        given[c] = true;
      }
      List<Object[]> converted = new ArrayList<>();
      String failure = null;
      for (Object[] row : rows) {
        Object[] full = new Object[t.names.size()];
        for (int i = 0; i < cols.length && failure == null; i++) {
          ColType.Checked c = t.check(cols[i], row[i]);
          failure = c.violation();
          full[cols[i]] = c.value();
        }
        for (int i = 0; i < full.length && failure == null; i++) {
          if (!given[i] && t.notNull.get(i)) {
            failure =
                "NULL in NOT NULL column "
                    + t.names.get(i)
                    + " of table "
                    + t.name
                    + " (no value given)";
          }
        }
        if (failure != null) {
          break;
        }
        converted.add(full);
      }
      Set<String> existing = new HashSet<>();
      for (Object[] row : t.rows()) {
        existing.add(t.key(row));
      }
      Set<String> seen = new HashSet<>();
      for (Object[] row : converted) {
        String key = t.key(row);
        if (!seen.add(key) || existing.contains(key)) {
          return Expect.rejected(t.duplicate(row));
        }
      }
      if (failure != null) {
        return Expect.rejected(failure);
      }
      List<Object[]> next = new ArrayList<>(t.rows());
      next.addAll(converted);
      t.set(position, next);
      return Expect.applied(rows.size());
    };
  }

  /**
   * UPDATE ... SET col = value WHERE where. A value the column cannot hold is rejected whether or
   * not a row matches; a primary key column set so that two rows would have one key is a duplicate
   * key (named by the colliding key, which depends on the order rows are visited).
   */
  static Effect update(long tenant, String table, int col, Object value, Pred where) {
    return (m, position) -> {
      TableModel t = m.table(tenant, table);
      ColType.Checked checked = t.check(col, value);
      if (!checked.fits()) {
        return Expect.rejected(checked.violation());
      }
      List<Object[]> next = new ArrayList<>();
      List<Object[]> moved = new ArrayList<>();
      long count = 0;
      for (Object[] row : t.rows()) {
        if (Boolean.TRUE.equals(Pred.eval(where, row))) {
          Object[] changed = row.clone();
          changed[col] = checked.value();
          next.add(changed);
          count++;
          if (col < t.pkCount && !t.key(changed).equals(t.key(row))) {
            moved.add(changed);
          }
        } else {
          next.add(row);
        }
      }
      Set<String> reasons = collisions(t, next, moved);
      if (!reasons.isEmpty()) {
        return Expect.rejected(reasons);
      }
      if (count > 0) {
        t.set(position, next);
      }
      return Expect.applied(count);
    };
  }

  /** The duplicate key rejections {@code moved} rows can cause among all the {@code next} rows. */
  private static Set<String> collisions(TableModel t, List<Object[]> next, List<Object[]> moved) {
    Set<String> reasons = new LinkedHashSet<>();
    if (moved.isEmpty()) {
      return reasons;
    }
    TreeMap<String, Integer> keys = new TreeMap<>();
    for (Object[] row : next) {
      keys.merge(t.key(row), 1, Integer::sum);
    }
    for (Object[] row : moved) {
      if (keys.get(t.key(row)) > 1) {
        reasons.add(t.duplicate(row));
      }
    }
    return reasons;
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
      return Expect.applied(count);
    };
  }
}
