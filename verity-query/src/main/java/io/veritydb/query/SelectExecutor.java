package io.veritydb.query;

import io.veritydb.kernel.AccessPath;
import io.veritydb.kernel.Catalog;
import io.veritydb.kernel.CompiledExpr;
import io.veritydb.kernel.Expr;
import io.veritydb.kernel.Exprs;
import io.veritydb.kernel.PredicateTemplate;
import io.veritydb.kernel.RowIterator;
import io.veritydb.kernel.TableDef;
import io.veritydb.kernel.Values;
import io.veritydb.store.StoreReader;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs a SELECT: plan the access path, stream matching rows, order them (by the path's key order
 * when it matches ORDER BY, else a sort, a bounded top-N heap when there is a LIMIT), apply
 * OFFSET/LIMIT and project. Only the columns the statement reads are decoded.
 */
final class SelectExecutor {
  private SelectExecutor() {}

  /** The most rows one query may return (or sort), a guard on memory. */
  static final int MAX_RESULT_ROWS = 10_000_000;

  /**
   * Everything about a SELECT that depends only on the statement and the table's definition (not on
   * the parameters, the tenant or the position): cached per statement, keyed by the table's catalog
   * descriptor bytes ({@link Catalog#entry}). Immutable.
   */
  static final class Template {
    final byte[] catalogEntry;
    final TableDef table;
    final int[] out;

    /** Whether the output is every column in table order (rows are returned as decoded). */
    final boolean identity;

    final List<String> names;
    final List<SqlType> types;
    final PredicateTemplate where;
    final int[] orderCols;
    final boolean[] orderDesc;

    /** The columns to decode: output, ORDER BY and WHERE columns. */
    final boolean[] needed;

    Template(byte[] catalogEntry, TableDef table, Stmt.Select s) {
      this.catalogEntry = catalogEntry;
      this.table = table;
      TableDef t = table;
      if (s.items().isEmpty()) {
        throw new BadRequestException("SELECT needs at least one column or *");
      }
      List<Integer> outs = new ArrayList<>();
      List<String> ns = new ArrayList<>();
      List<SqlType> ts = new ArrayList<>();
      for (Stmt.Item item : s.items()) {
        if (item.column().equals("*")) {
          for (int i = 0; i < t.columnCount(); i++) {
            outs.add(i);
            ns.add(t.column(i).name());
            ts.add(t.column(i).type());
          }
        } else {
          int ord = t.requireOrdinal(item.column());
          outs.add(ord);
          ns.add(item.label());
          ts.add(t.column(ord).type());
        }
      }
      this.out = outs.stream().mapToInt(Integer::intValue).toArray();
      this.identity = out.length == t.columnCount() && isIdentity(out);
      this.names = List.copyOf(ns);
      this.types = List.copyOf(ts);
      this.where = PredicateTemplate.of(t, s.where());
      this.orderCols = new int[s.orderBy().size()];
      this.orderDesc = new boolean[s.orderBy().size()];
      for (int i = 0; i < orderCols.length; i++) {
        orderCols[i] = orderOrdinal(t, s, s.orderBy().get(i).column());
        orderDesc[i] = s.orderBy().get(i).descending();
      }
      this.needed = new boolean[t.columnCount()];
      for (int o : out) {
        needed[o] = true;
      }
      for (int o : orderCols) {
        needed[o] = true;
      }
    }
  }

  /**
   * The template of {@code s} for the table whose descriptor is {@code entry}. An error in the
   * select list is reported as before; an error in ORDER BY only after the WHERE has been bound (so
   * a bad parameter is still reported first, as the statement reads).
   */
  static Template template(Stmt.Select s, byte[] entry, Object[] params) {
    TableDef table = Catalog.decode(entry);
    try {
      return new Template(entry.clone(), table, s);
    } catch (BadRequestException e) {
      if (!s.items().isEmpty() && selectListResolves(table, s)) {
        CompiledExpr.predicate(table, s.where(), params);
      }
      throw e;
    }
  }

  private static boolean selectListResolves(TableDef t, Stmt.Select s) {
    for (Stmt.Item item : s.items()) {
      if (!item.column().equals("*") && t.ordinalOf(item.column()) < 0) {
        return false;
      }
    }
    return true;
  }

  /** One execution's plan: the template with the parameters bound. */
  private static final class Plan {
    final CompiledExpr where;
    final AccessPath path;
    final Boolean streamDescending;
    final long limit;
    final long offset;

    Plan(Template t, Stmt.Select s, TenantId tenant, Object[] params) {
      this.where = t.where.bind(params);
      this.path = t.where.plan(tenant, where);
      this.streamDescending = streamOrder(path, t.orderCols, t.orderDesc);
      this.limit = count(s.limit(), params, "LIMIT", -1);
      this.offset = count(s.offset(), params, "OFFSET", 0);
    }
  }

  /** An ORDER BY name: a column of the table, else the label of a select-list item. */
  private static int orderOrdinal(TableDef t, Stmt.Select s, String name) {
    int ord = t.ordinalOf(name);
    if (ord >= 0) {
      return ord;
    }
    for (Stmt.Item item : s.items()) {
      if (item.label().equals(name) && !item.column().equals("*")) {
        return t.requireOrdinal(item.column());
      }
    }
    return t.requireOrdinal(name);
  }

  /**
   * Whether the path's key order gives the ORDER BY: null when a sort is needed, else whether to
   * read the path descending.
   */
  private static Boolean streamOrder(AccessPath path, int[] cols, boolean[] desc) {
    if (cols.length == 0 || path.kind() == AccessPath.Kind.PK_POINT) {
      return Boolean.FALSE;
    }
    for (boolean d : desc) {
      if (d != desc[0]) {
        return null;
      }
    }
    List<Integer> order = path.order();
    for (int skip = 0; skip <= path.equalities(); skip++) {
      if (order.size() - skip >= cols.length) {
        boolean match = true;
        for (int i = 0; i < cols.length && match; i++) {
          match = order.get(skip + i) == cols[i];
        }
        if (match) {
          return desc[0];
        }
      }
    }
    return null;
  }

  private static long count(Expr e, Object[] params, String what, long absent) {
    if (e == null) {
      return absent;
    }
    Object v = e instanceof Expr.Param p ? params[p.index()] : ((Expr.Literal) e).value();
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      long n = ((Number) v).longValue();
      if (n >= 0) {
        return n;
      }
    }
    throw new BadRequestException(
        what + " must be a non-negative integer, got " + Values.render(v));
  }

  static QueryResult execute(
      Template t,
      Stmt.Select s,
      StoreReader reader,
      LogPosition at,
      TenantId tenant,
      Object[] params) {
    Plan p = new Plan(t, s, tenant, params);
    if (p.limit == 0) {
      return new QueryResult(t.names, t.types, new ArrayList<>());
    }
    if (p.path.kind() == AccessPath.Kind.PK_POINT) {
      Object[] row = RowIterator.point(reader, at, p.path, p.where, t.needed);
      List<Object[]> rows = new ArrayList<>(1);
      if (row != null && p.offset == 0) {
        rows.add(project(row, t));
      }
      return new QueryResult(t.names, t.types, rows);
    }
    if (p.streamDescending != null) {
      List<Object[]> rows = new ArrayList<>(10);
      long skipped = 0;
      try (RowIterator it =
          RowIterator.open(reader, at, p.path, p.where, p.streamDescending, t.needed)) {
        while ((p.limit < 0 || rows.size() < p.limit) && it.next()) {
          if (skipped < p.offset) {
            skipped++;
            continue;
          }
          guard(rows.size());
          rows.add(project(it.row(), t));
        }
      }
      return new QueryResult(t.names, t.types, rows);
    }
    List<Object[]> rows = new ArrayList<>();
    Comparator<Object[]> order = comparator(t.orderCols, t.orderDesc);
    List<Object[]> sorted;
    if (p.limit > 0 && p.offset + p.limit <= MAX_RESULT_ROWS) {
      int keep = (int) (p.offset + p.limit);
      // Max-heap of the best `keep` rows; ties broken by arrival (key order), so results are
      // stable.
      PriorityQueue<Sequenced> heap =
          new PriorityQueue<>(Math.min(keep, 1024) + 1, (a, b) -> -a.compare(b, order));
      long seq = 0;
      try (RowIterator it = RowIterator.open(reader, at, p.path, p.where, false, t.needed)) {
        while (it.next()) {
          Sequenced r = new Sequenced(it.row(), seq++);
          if (heap.size() < keep) {
            heap.add(r);
          } else if (r.compare(heap.peek(), order) < 0) {
            heap.poll();
            heap.add(r);
          }
        }
      }
      List<Sequenced> best = new ArrayList<>(heap);
      best.sort((a, b) -> a.compare(b, order));
      sorted = new ArrayList<>(best.size());
      for (Sequenced r : best) {
        sorted.add(r.row);
      }
    } else {
      sorted = new ArrayList<>();
      try (RowIterator it = RowIterator.open(reader, at, p.path, p.where, false, t.needed)) {
        while (it.next()) {
          guard(sorted.size());
          sorted.add(it.row());
        }
      }
      sorted.sort(order);
    }
    long end = p.limit < 0 ? sorted.size() : Math.min(sorted.size(), p.offset + p.limit);
    for (long i = p.offset; i < end; i++) {
      rows.add(project(sorted.get((int) i), t));
    }
    return new QueryResult(t.names, t.types, rows);
  }

  private static void guard(int size) {
    if (size >= MAX_RESULT_ROWS) {
      throw new BadRequestException(
          "query result too large: more than " + MAX_RESULT_ROWS + " rows; add a LIMIT");
    }
  }

  private static final class Sequenced {
    final Object[] row;
    final long seq;

    Sequenced(Object[] row, long seq) {
      this.row = row;
      this.seq = seq;
    }

    int compare(Sequenced other, Comparator<Object[]> order) {
      int c = order.compare(row, other.row);
      return c != 0 ? c : Long.compare(seq, other.seq);
    }
  }

  private static Object[] project(Object[] row, Template t) {
    if (t.identity) {
      return row;
    }
    int[] out = t.out;
    Object[] r = new Object[out.length];
    for (int i = 0; i < out.length; i++) {
      r[i] = row[out[i]];
    }
    return r;
  }

  private static boolean isIdentity(int[] out) {
    for (int i = 0; i < out.length; i++) {
      if (out[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** ORDER BY order: NULL sorts before every value (so last with DESC). */
  static Comparator<Object[]> comparator(int[] cols, boolean[] desc) {
    return (a, b) -> {
      for (int i = 0; i < cols.length; i++) {
        Object x = a[cols[i]];
        Object y = b[cols[i]];
        int c;
        if (x == null || y == null) {
          c = x == null ? (y == null ? 0 : -1) : 1;
        } else {
          c = Values.compare(x, y);
        }
        if (c != 0) {
          return desc[i] ? -c : c;
        }
      }
      return 0;
    };
  }

  static QueryResult explain(Template t, Stmt.Select s, TenantId tenant, Object[] params) {
    Plan p = new Plan(t, s, tenant, params);
    List<String> steps = new ArrayList<>();
    steps.add(p.path.describe());
    Expr where = p.where.resolved();
    if (!Expr.TRUE.equals(where)) {
      steps.add("FILTER " + Exprs.toSql(where));
    }
    if (t.orderCols.length > 0) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < t.orderCols.length; i++) {
        sb.append(i == 0 ? "" : ", ")
            .append(t.table.column(t.orderCols[i]).name())
            .append(t.orderDesc[i] ? " DESC" : "");
      }
      if (p.streamDescending != null) {
        steps.add("ORDER BY " + sb + " (key order" + (p.streamDescending ? ", reversed)" : ")"));
      } else if (p.limit > 0) {
        steps.add("TOP-N SORT " + sb + " (keep " + (p.offset + p.limit) + ")");
      } else {
        steps.add("SORT " + sb);
      }
    }
    if (p.limit >= 0 || p.offset > 0) {
      steps.add(
          (p.limit >= 0 ? "LIMIT " + p.limit : "")
              + (p.limit >= 0 && p.offset > 0 ? " " : "")
              + (p.offset > 0 ? "OFFSET " + p.offset : ""));
    }
    steps.add("PROJECT " + String.join(", ", t.names));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      rows.add(new Object[] {i + 1, steps.get(i)});
    }
    return new QueryResult(List.of("step", "detail"), List.of(SqlType.INT, SqlType.TEXT), rows);
  }
}
