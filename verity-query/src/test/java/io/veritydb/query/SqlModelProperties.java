package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random schema, random INSERT/UPDATE/DELETE and random SELECTs of the subset run through the
 * engine and kernel on a MemoryStore, and against a plain list-of-rows model with its own
 * three-valued predicate evaluation. Results must match row for row (ORDER BY is made total by
 * appending the primary key), now and at every past position. Failures print the seed.
 */
class SqlModelProperties {

  enum T {
    INT,
    BIGINT,
    VARCHAR,
    TEXT,
    BOOLEAN,
    DECIMAL,
    TIMESTAMP
  }

  static final List<T> ALL_TYPES =
      List.of(T.INT, T.BIGINT, T.VARCHAR, T.TEXT, T.BOOLEAN, T.DECIMAL, T.TIMESTAMP);

  static String sqlType(T t) {
    return switch (t) {
      case VARCHAR -> "VARCHAR(6)";
      case DECIMAL -> "DECIMAL(6,2)";
      default -> t.name();
    };
  }

  static final String[] TEXTS = {"", "a", "b", "ab", "ba", "c"};
  static final String[] DECIMALS = {"-1.50", "0.00", "0.25", "2.00", "3.75"};
  static final Instant[] TIMES = {
    Instant.parse("2020-01-01T00:00:00Z"),
    Instant.parse("2024-06-01T12:00:00Z"),
    Instant.parse("2024-06-01T12:00:00.5Z")
  };

  static Object value(T t, Random r) {
    return switch (t) {
      case INT -> r.nextInt(7) - 3;
      case BIGINT -> (long) (r.nextInt(7) - 3);
      case VARCHAR, TEXT -> TEXTS[r.nextInt(TEXTS.length)];
      case BOOLEAN -> r.nextBoolean();
      case DECIMAL -> new BigDecimal(DECIMALS[r.nextInt(DECIMALS.length)]);
      case TIMESTAMP -> TIMES[r.nextInt(TIMES.length)];
    };
  }

  static Object nullable(T t, Random r) {
    return r.nextInt(5) == 0 ? null : value(t, r);
  }

  static String literal(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof String s) {
      return "'" + s + "'";
    } else if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (v instanceof Instant i) {
      return "TIMESTAMP '" + i + "'";
    }
    return v.toString();
  }

  static int cmp(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
    } else if (a instanceof String x) {
      return x.compareTo((String) b);
    } else if (a instanceof Boolean x) {
      return x.compareTo((Boolean) b);
    }
    return ((Instant) a).compareTo((Instant) b);
  }

  /** Model predicates, evaluated with SQL three-valued logic (null = unknown). */
  interface P {}

  record Cmp(int col, String op, Object v) implements P {}

  record In(int col, List<Object> vs, boolean not) implements P {}

  record Btw(int col, Object lo, Object hi, boolean not) implements P {}

  record IsN(int col, boolean not) implements P {}

  record And(P l, P r) implements P {}

  record Or(P l, P r) implements P {}

  record Not(P p) implements P {}

  static Boolean not(Boolean b) {
    return b == null ? null : !b;
  }

  static Boolean eval(P p, Object[] row) {
    if (p instanceof Cmp c) {
      Object x = row[c.col()];
      if (x == null || c.v() == null) {
        return null;
      }
      int k = cmp(x, c.v());
      return switch (c.op()) {
        case "=" -> k == 0;
        case "<>" -> k != 0;
        case "<" -> k < 0;
        case "<=" -> k <= 0;
        case ">" -> k > 0;
        default -> k >= 0;
      };
    } else if (p instanceof In in) {
      Object x = row[in.col()];
      Boolean r = Boolean.FALSE;
      if (x == null) {
        r = null;
      } else {
        for (Object v : in.vs()) {
          if (v == null) {
            r = null;
          } else if (cmp(x, v) == 0) {
            r = Boolean.TRUE;
            break;
          }
        }
      }
      return in.not() ? not(r) : r;
    } else if (p instanceof Btw b) {
      Object x = row[b.col()];
      Boolean r =
          and(
              (x == null || b.lo() == null) ? null : cmp(x, b.lo()) >= 0,
              (x == null || b.hi() == null) ? null : cmp(x, b.hi()) <= 0);
      return b.not() ? not(r) : r;
    } else if (p instanceof IsN n) {
      return (row[n.col()] == null) != n.not();
    } else if (p instanceof And a) {
      return and(eval(a.l(), row), eval(a.r(), row));
    } else if (p instanceof Or o) {
      Boolean l = eval(o.l(), row);
      Boolean r = eval(o.r(), row);
      if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
        return true;
      }
      return (l == null || r == null) ? null : Boolean.FALSE;
    }
    return not(eval(((Not) p).p(), row));
  }

  static Boolean and(Boolean l, Boolean r) {
    if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
      return false;
    }
    return (l == null || r == null) ? null : Boolean.TRUE;
  }

  /** One random world: schema, engine, model and history. */
  static final class World {
    final Random r;
    final long seed;
    final TestDb db = new TestDb(16);
    final List<String> names = new ArrayList<>();
    final List<T> types = new ArrayList<>();
    final int pkCount;
    List<Object[]> model = new ArrayList<>();
    final List<LogPosition> positions = new ArrayList<>();
    final List<List<Object[]>> history = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    World(long seed) {
      this.seed = seed;
      this.r = new Random(seed);
      pkCount = r.nextBoolean() ? 1 : 2;
      if (pkCount == 1) {
        names.add("id");
        types.add(T.BIGINT);
      } else {
        names.add("k1");
        types.add(T.INT);
        names.add("k2");
        types.add(T.VARCHAR);
      }
      int extra = 2 + r.nextInt(3);
      for (int i = 0; i < extra; i++) {
        names.add("c" + i);
        types.add(ALL_TYPES.get(r.nextInt(ALL_TYPES.size())));
      }
      StringBuilder ddl = new StringBuilder("CREATE TABLE t (");
      for (int i = 0; i < names.size(); i++) {
        ddl.append(i == 0 ? "" : ", ")
            .append(names.get(i))
            .append(' ')
            .append(sqlType(types.get(i)));
      }
      ddl.append(", PRIMARY KEY (")
          .append(String.join(", ", names.subList(0, pkCount)))
          .append("))");
      exec(ddl.toString(), false);
    }

    String fail(String what) {
      return "seed=" + seed + " " + what + "\nlog:\n" + String.join("\n", log);
    }

    void record() {
      positions.add(db.position());
      List<Object[]> copy = new ArrayList<>();
      for (Object[] row : model) {
        copy.add(row.clone());
      }
      history.add(copy);
    }

    /** Runs a write; returns whether the engine rejected it with a constraint violation. */
    boolean exec(String sql, boolean expectReject, Object... params) {
      log.add(sql + " " + Arrays.deepToString(params) + (expectReject ? " (reject)" : ""));
      boolean rejected;
      try {
        db.exec(sql, params);
        rejected = false;
      } catch (ConstraintViolationException e) {
        rejected = true;
      }
      assertEquals(expectReject, rejected, () -> fail("rejection of " + sql));
      record();
      return rejected;
    }

    List<Object> key(Object[] row) {
      return Arrays.asList(Arrays.copyOf(row, pkCount));
    }

    Object[] randomRow() {
      Object[] row = new Object[names.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = i < pkCount ? value(types.get(i), r) : nullable(types.get(i), r);
      }
      return row;
    }

    P predicate(int depth) {
      int k = r.nextInt(depth <= 0 ? 4 : 7);
      int col = r.nextInt(names.size());
      T t = types.get(col);
      return switch (k) {
        case 0 ->
            new Cmp(
                col,
                new String[] {"=", "<>", "<", "<=", ">", ">="}[r.nextInt(6)],
                r.nextInt(12) == 0 ? null : value(t, r));
        case 1 -> {
          List<Object> vs = new ArrayList<>();
          int n = 1 + r.nextInt(3);
          for (int i = 0; i < n; i++) {
            vs.add(r.nextInt(8) == 0 ? null : value(t, r));
          }
          yield new In(col, vs, r.nextInt(3) == 0);
        }
        case 2 -> new Btw(col, value(t, r), value(t, r), r.nextInt(3) == 0);
        case 3 -> new IsN(col, r.nextBoolean());
        case 4 -> new And(predicate(depth - 1), predicate(depth - 1));
        case 5 -> new Or(predicate(depth - 1), predicate(depth - 1));
        default -> new Not(predicate(depth - 1));
      };
    }

    String sql(P p, List<Object> params, boolean useParams) {
      if (p instanceof Cmp c) {
        return names.get(c.col()) + " " + c.op() + " " + lit(c.v(), params, useParams);
      } else if (p instanceof In in) {
        List<String> items = new ArrayList<>();
        for (Object v : in.vs()) {
          items.add(lit(v, params, useParams));
        }
        return names.get(in.col())
            + (in.not() ? " NOT IN (" : " IN (")
            + String.join(", ", items)
            + ")";
      } else if (p instanceof Btw b) {
        String lo = lit(b.lo(), params, useParams);
        String hi = lit(b.hi(), params, useParams);
        return names.get(b.col()) + (b.not() ? " NOT BETWEEN " : " BETWEEN ") + lo + " AND " + hi;
      } else if (p instanceof IsN n) {
        return names.get(n.col()) + (n.not() ? " IS NOT NULL" : " IS NULL");
      } else if (p instanceof And a) {
        String l = sql(a.l(), params, useParams);
        return "(" + l + " AND " + sql(a.r(), params, useParams) + ")";
      } else if (p instanceof Or o) {
        String l = sql(o.l(), params, useParams);
        return "(" + l + " OR " + sql(o.r(), params, useParams) + ")";
      }
      return "NOT (" + sql(((Not) p).p(), params, useParams) + ")";
    }

    String lit(Object v, List<Object> params, boolean useParams) {
      if (useParams && v != null) {
        params.add(v);
        return "?";
      }
      return literal(v);
    }

    void insert() {
      int n = 1 + r.nextInt(3);
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rows.add(randomRow());
      }
      TreeSet<String> keys = new TreeSet<>();
      for (Object[] row : model) {
        keys.add(key(row).toString());
      }
      boolean reject = false;
      for (Object[] row : rows) {
        reject |= !keys.add(key(row).toString());
      }
      String cols = String.join(", ", names);
      if (r.nextBoolean()) {
        List<String> tuples = new ArrayList<>();
        for (Object[] row : rows) {
          List<String> vs = new ArrayList<>();
          for (Object v : row) {
            vs.add(literal(v));
          }
          tuples.add("(" + String.join(", ", vs) + ")");
        }
        exec("INSERT INTO t (" + cols + ") VALUES " + String.join(", ", tuples), reject);
      } else {
        String marks = "(" + String.join(", ", names.stream().map(x -> "?").toList()) + ")";
        String sql = "INSERT INTO t (" + cols + ") VALUES " + marks;
        log.add("batch " + sql + " " + rows.size() + (reject ? " (reject)" : ""));
        boolean rejected;
        try {
          db.batch(sql, rows);
          rejected = false;
        } catch (ConstraintViolationException e) {
          rejected = true;
        }
        assertEquals(reject, rejected, () -> fail("rejection of batch"));
        record();
      }
      if (!reject) {
        model.addAll(rows);
        record(); // replace the entry record() made before the model changed
        history.remove(history.size() - 2);
        positions.remove(positions.size() - 2);
      }
    }

    void update() {
      P where = predicate(2);
      int col = r.nextInt(names.size());
      Object v = col < pkCount ? value(types.get(col), r) : nullable(types.get(col), r);
      int source = -1;
      Object delta = null;
      T ct = types.get(col);
      if ((ct == T.INT || ct == T.BIGINT || ct == T.DECIMAL) && r.nextInt(3) == 0) {
        delta = ct == T.DECIMAL ? value(T.DECIMAL, r) : (Object) (long) (r.nextInt(7) - 3);
      } else if (r.nextInt(3) == 0) {
        for (int i = 0; i < names.size(); i++) {
          if (i != col && types.get(i) == types.get(col) && (source < 0 || r.nextBoolean())) {
            source = i;
          }
        }
      }
      List<Object[]> next = new ArrayList<>();
      boolean any = false;
      boolean nullKey = false;
      for (Object[] row : model) {
        if (Boolean.TRUE.equals(eval(where, row))) {
          Object[] c = row.clone();
          c[col] = delta != null ? plus(row[col], delta, ct) : source >= 0 ? row[source] : v;
          nullKey |= col < pkCount && c[col] == null;
          next.add(c);
          any = true;
        } else {
          next.add(row);
        }
      }
      TreeSet<String> keys = new TreeSet<>();
      boolean reject = nullKey;
      for (Object[] row : next) {
        reject |= !keys.add(key(row).toString());
      }
      List<Object> params = new ArrayList<>();
      boolean useParams = r.nextBoolean();
      String set =
          names.get(col)
              + " = "
              + (delta != null
                  ? names.get(col) + " + " + lit(delta, params, useParams)
                  : source >= 0 ? names.get(source) : lit(v, params, useParams));
      exec(
          "UPDATE t SET " + set + " WHERE " + sql(where, params, useParams),
          reject && any,
          params.toArray());
      if (!reject) {
        model = next;
        history.set(history.size() - 1, copy(model));
      }
    }

    static Object plus(Object old, Object delta, T t) {
      if (old == null) {
        return null;
      }
      return switch (t) {
        case INT -> Math.toIntExact((Integer) old + (Long) delta);
        case BIGINT -> (Long) old + (Long) delta;
        default -> ((BigDecimal) old).add((BigDecimal) delta).setScale(2);
      };
    }

    void delete() {
      P where = predicate(2);
      List<Object> params = new ArrayList<>();
      boolean useParams = r.nextBoolean();
      exec("DELETE FROM t WHERE " + sql(where, params, useParams), false, params.toArray());
      model.removeIf(row -> Boolean.TRUE.equals(eval(where, row)));
      history.set(history.size() - 1, copy(model));
    }

    static List<Object[]> copy(List<Object[]> rows) {
      List<Object[]> out = new ArrayList<>();
      for (Object[] row : rows) {
        out.add(row.clone());
      }
      return out;
    }

    void createIndex(int n) {
      int a = pkCount + r.nextInt(names.size() - pkCount);
      String cols = names.get(a);
      if (r.nextBoolean()) {
        int b = r.nextInt(names.size());
        if (b != a) {
          cols += ", " + names.get(b);
        }
      }
      exec("CREATE INDEX ix" + n + " ON t (" + cols + ")", false);
    }

    Comparator<Object[]> order(int[] cols, boolean[] desc) {
      return (x, y) -> {
        for (int i = 0; i < cols.length; i++) {
          Object a = x[cols[i]];
          Object b = y[cols[i]];
          int c = a == null || b == null ? (a == null ? (b == null ? 0 : -1) : 1) : cmp(a, b);
          if (c != 0) {
            return desc[i] ? -c : c;
          }
        }
        return 0;
      };
    }

    /** A random SELECT checked against {@code rows}, run at {@code at} (null: now). */
    void check(List<Object[]> rows, LogPosition at) {
      P where = r.nextInt(6) == 0 ? null : predicate(2);
      List<Object> params = new ArrayList<>();
      boolean useParams = r.nextBoolean();
      StringBuilder sql = new StringBuilder("SELECT ");
      int[] proj;
      if (r.nextBoolean()) {
        sql.append('*');
        proj = new int[names.size()];
        for (int i = 0; i < proj.length; i++) {
          proj[i] = i;
        }
      } else {
        int n = 1 + r.nextInt(names.size());
        proj = new int[n];
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          proj[i] = r.nextInt(names.size());
          ps.add(names.get(proj[i]));
        }
        sql.append(String.join(", ", ps));
      }
      sql.append(" FROM t");
      if (where != null) {
        sql.append(" WHERE ").append(sql(where, params, useParams));
      }
      List<Integer> ordCols = new ArrayList<>();
      List<Boolean> ordDesc = new ArrayList<>();
      int extra = r.nextInt(3);
      for (int i = 0; i < extra; i++) {
        ordCols.add(r.nextInt(names.size()));
        ordDesc.add(r.nextBoolean());
      }
      boolean pkDesc = r.nextBoolean();
      for (int i = 0; i < pkCount; i++) {
        ordCols.add(i);
        ordDesc.add(pkDesc);
      }
      List<String> terms = new ArrayList<>();
      for (int i = 0; i < ordCols.size(); i++) {
        terms.add(names.get(ordCols.get(i)) + (ordDesc.get(i) ? " DESC" : ""));
      }
      sql.append(" ORDER BY ").append(String.join(", ", terms));
      int limit = -1;
      int offset = 0;
      if (r.nextBoolean()) {
        limit = r.nextInt(6);
        sql.append(" LIMIT ").append(limit);
        if (r.nextBoolean()) {
          offset = r.nextInt(4);
          sql.append(" OFFSET ").append(offset);
        }
      }
      List<Object[]> expected = new ArrayList<>();
      for (Object[] row : rows) {
        if (where == null || Boolean.TRUE.equals(eval(where, row))) {
          expected.add(row);
        }
      }
      int[] oc = ordCols.stream().mapToInt(Integer::intValue).toArray();
      boolean[] od = new boolean[ordDesc.size()];
      for (int i = 0; i < od.length; i++) {
        od[i] = ordDesc.get(i);
      }
      expected.sort(order(oc, od));
      int end = limit < 0 ? expected.size() : Math.min(expected.size(), offset + limit);
      List<List<Object>> want = new ArrayList<>();
      for (int i = offset; i < end; i++) {
        List<Object> p = new ArrayList<>();
        for (int c : proj) {
          p.add(expected.get(i)[c]);
        }
        want.add(p);
      }
      String text = sql.toString();
      QueryResult got =
          at == null ? db.query(text, params.toArray()) : db.queryAt(at, text, params.toArray());
      List<List<Object>> have = TestDb.rows(got);
      net.jqwik.api.statistics.Statistics.label("result")
          .collect(have.isEmpty() ? "empty" : have.size() < 3 ? "1-2 rows" : "3+ rows");
      if (!Objects.equals(want, have)) {
        fail(
            fail(
                "query "
                    + text
                    + " "
                    + params
                    + (at == null ? "" : " at " + at)
                    + "\nexpected "
                    + want
                    + "\nbut got  "
                    + have));
      }
    }
  }

  @Property(tries = 100)
  void engineMatchesModel(@ForAll long seed) {
    World w = new World(seed);
    int indexes = 0;
    for (int step = 0; step < 30; step++) {
      int k = w.r.nextInt(10);
      if (k < 4) {
        w.insert();
      } else if (k < 6) {
        w.update();
      } else if (k < 7) {
        w.delete();
      } else if (k < 8 && indexes < 3) {
        w.createIndex(indexes++);
      }
      w.check(w.model, null);
      w.check(w.model, null);
      List<String> problems =
          io.veritydb.kernel.Consistency.check(w.db.store, w.db.position(), w.db.tenant);
      assertEquals(List.of(), problems, () -> w.fail("rows and indexes disagree"));
    }
    for (int i = 0; i < 10; i++) {
      int h = w.r.nextInt(w.history.size());
      w.check(w.history.get(h), w.positions.get(h));
    }
    try {
      w.db.queryAt(LogPosition.NONE, "SELECT * FROM t");
      fail(w.fail("the table must not exist before it was created"));
    } catch (BadRequestException e) {
      assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
  }
}
