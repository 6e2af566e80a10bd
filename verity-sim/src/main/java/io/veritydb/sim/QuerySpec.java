package io.veritydb.sim;

import io.veritydb.query.QueryResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A random SELECT over one table with the answer the model expects: a projection, an optional
 * WHERE, an ORDER BY made total by ending with the primary key, and an optional LIMIT/OFFSET; now
 * and then ended by {@code ;} (which runs), or one the engine must refuse: followed by a second
 * statement, or comparing with text that is not UTF-16.
 */
final class QuerySpec {
  final String sql;
  final Object[] params;
  final List<List<Object>> expected;

  /** Null for a query that runs; else part of the message the engine refuses it with. */
  final String refusal;

  private QuerySpec(String sql, Object[] params, List<List<Object>> expected, String refusal) {
    this.sql = sql;
    this.params = params;
    this.expected = expected;
    this.refusal = refusal;
  }

  /** Every row of {@code t} in primary key order (what audits compare). */
  static QuerySpec all(TableModel t, List<Object[]> rows) {
    List<Object[]> sorted = new ArrayList<>(rows);
    sorted.sort(t.pkOrder());
    List<List<Object>> expected = new ArrayList<>();
    for (Object[] row : sorted) {
      expected.add(Arrays.asList(row));
    }
    String order = String.join(", ", t.names.subList(0, t.pkCount));
    return new QuerySpec(
        "SELECT * FROM " + t.name + " ORDER BY " + order, new Object[0], expected, null);
  }

  static QuerySpec random(TableModel t, List<Object[]> rows, Random r) {
    int width = t.names.size();
    int[] proj;
    StringBuilder sql = new StringBuilder("SELECT ");
    if (r.nextBoolean()) {
      sql.append('*');
      proj = new int[width];
      for (int i = 0; i < width; i++) {
        proj[i] = i;
      }
    } else {
      proj = new int[1 + r.nextInt(width)];
      List<String> cols = new ArrayList<>();
      for (int i = 0; i < proj.length; i++) {
        proj[i] = r.nextInt(width);
        cols.add(t.names.get(proj[i]));
      }
      sql.append(String.join(", ", cols));
    }
    sql.append(" FROM ").append(t.name);
    List<Object> params = new ArrayList<>();
    Pred where = r.nextInt(5) == 0 ? null : Workload.where(t, r);
    String refusal = null;
    int shape = r.nextInt(48);
    for (int i = 0; shape == 0 && i < width; i++) {
      if (t.types.get(i) == ColType.VARCHAR) {
        where = Workload.poisoned(where == null ? new Pred.IsNull(i, true) : where, i, r);
        refusal = Workload.NOT_UTF16;
        break;
      }
    }
    if (where != null) {
      sql.append(" WHERE ")
          .append(Pred.sql(where, t.names, params, r.nextBoolean(), r.nextBoolean()));
    }
    List<Integer> orderCols = new ArrayList<>();
    List<Boolean> orderDesc = new ArrayList<>();
    int extra = r.nextInt(3);
    for (int i = 0; i < extra; i++) {
      orderCols.add(r.nextInt(width));
      orderDesc.add(r.nextBoolean());
    }
    boolean pkDesc = r.nextBoolean();
    for (int i = 0; i < t.pkCount; i++) {
      orderCols.add(i);
      orderDesc.add(pkDesc);
    }
    List<String> terms = new ArrayList<>();
    for (int i = 0; i < orderCols.size(); i++) {
      terms.add(t.names.get(orderCols.get(i)) + (orderDesc.get(i) ? " DESC" : ""));
    }
    sql.append(" ORDER BY ").append(String.join(", ", terms));
    int limit = -1;
    int offset = 0;
    if (r.nextInt(3) == 0) {
      limit = r.nextInt(6);
      sql.append(" LIMIT ").append(limit);
      if (r.nextBoolean()) {
        offset = r.nextInt(4);
        sql.append(" OFFSET ").append(offset);
      }
    }
    if (shape == 1 || shape == 2) {
      sql.append(shape == 1 ? ";" : "; -- done");
    } else if (shape == 3) {
      sql.append("; SELECT * FROM ").append(t.name);
      refusal = Workload.ONE_STATEMENT;
    }
    if (refusal != null) {
      return new QuerySpec(sql.toString(), params.toArray(), null, refusal);
    }
    List<Object[]> matching = new ArrayList<>();
    for (Object[] row : rows) {
      if (where == null || Boolean.TRUE.equals(Pred.eval(where, row))) {
        matching.add(row);
      }
    }
    matching.sort(order(orderCols, orderDesc));
    int end = limit < 0 ? matching.size() : Math.min(matching.size(), offset + limit);
    List<List<Object>> expected = new ArrayList<>();
    for (int i = offset; i < end; i++) {
      List<Object> out = new ArrayList<>();
      for (int c : proj) {
        out.add(matching.get(i)[c]);
      }
      expected.add(out);
    }
    return new QuerySpec(sql.toString(), params.toArray(), expected, null);
  }

  private static Comparator<Object[]> order(List<Integer> cols, List<Boolean> desc) {
    return (x, y) -> {
      for (int i = 0; i < cols.size(); i++) {
        int c = ColType.compareNullsFirst(x[cols.get(i)], y[cols.get(i)]);
        if (c != 0) {
          return desc.get(i) ? -c : c;
        }
      }
      return 0;
    };
  }

  static List<List<Object>> rows(QueryResult result) {
    List<List<Object>> out = new ArrayList<>();
    for (Object[] row : result.rows()) {
      out.add(Arrays.asList(row.clone()));
    }
    return out;
  }

  String describe() {
    String text = sql + (params.length == 0 ? "" : " " + Arrays.toString(params));
    return Trace.printable(text) + (refusal == null ? "" : " (must be refused)");
  }
}
