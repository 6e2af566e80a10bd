package io.veritydb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A WHERE predicate of the workload, rendered to SQL and evaluated by the model in Java with SQL's
 * three-valued logic (null = unknown). Kept to comparisons, IN, BETWEEN, IS NULL, AND, OR and NOT
 * on one column at a time, so that the model is obviously right.
 */
sealed interface Pred {
  record Cmp(int col, String op, Object v) implements Pred {}

  record In(int col, List<Object> vs, boolean not) implements Pred {}

  record Between(int col, Object lo, Object hi, boolean not) implements Pred {}

  record IsNull(int col, boolean not) implements Pred {}

  record And(Pred l, Pred r) implements Pred {}

  record Or(Pred l, Pred r) implements Pred {}

  record Not(Pred p) implements Pred {}

  List<String> OPS = List.of("=", "<>", "<", "<=", ">", ">=");

  /** A random predicate over {@code types}, nested at most {@code depth} deep. */
  static Pred random(List<ColType> types, Random r, int depth) {
    int k = r.nextInt(depth <= 0 ? 4 : 7);
    int col = r.nextInt(types.size());
    ColType t = types.get(col);
    return switch (k) {
      case 0 ->
          new Cmp(col, OPS.get(r.nextInt(OPS.size())), r.nextInt(12) == 0 ? null : t.value(r));
      case 1 -> {
        List<Object> vs = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
          vs.add(r.nextInt(8) == 0 ? null : t.value(r));
        }
        yield new In(col, vs, r.nextInt(3) == 0);
      }
      case 2 -> new Between(col, t.value(r), t.value(r), r.nextInt(3) == 0);
      case 3 -> new IsNull(col, r.nextBoolean());
      case 4 -> new And(random(types, r, depth - 1), random(types, r, depth - 1));
      case 5 -> new Or(random(types, r, depth - 1), random(types, r, depth - 1));
      default -> new Not(random(types, r, depth - 1));
    };
  }

  /** TRUE, FALSE or null (unknown) for {@code row}. */
  static Boolean eval(Pred p, Object[] row) {
    if (p instanceof Cmp c) {
      Object x = row[c.col()];
      if (x == null || c.v() == null) {
        return null;
      }
      int k = ColType.compare(x, c.v());
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
      Boolean result = Boolean.FALSE;
      if (x == null) {
        result = null;
      } else {
        for (Object v : in.vs()) {
          if (v == null) {
            result = null;
          } else if (ColType.compare(x, v) == 0) {
            result = Boolean.TRUE;
            break;
          }
        }
      }
      return in.not() ? not(result) : result;
    } else if (p instanceof Between b) {
      Object x = row[b.col()];
      Boolean result =
          x == null ? null : and(ColType.compare(x, b.lo()) >= 0, ColType.compare(x, b.hi()) <= 0);
      return b.not() ? not(result) : result;
    } else if (p instanceof IsNull n) {
      return (row[n.col()] == null) != n.not();
    } else if (p instanceof And a) {
      return and(eval(a.l(), row), eval(a.r(), row));
    } else if (p instanceof Or o) {
      Boolean l = eval(o.l(), row);
      Boolean r = eval(o.r(), row);
      if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
        return Boolean.TRUE;
      }
      return (l == null || r == null) ? null : Boolean.FALSE;
    }
    return not(eval(((Not) p).p(), row));
  }

  /** SQL text; non-null literals become {@code ?} parameters (added to params) when asked. */
  static String sql(Pred p, List<String> names, List<Object> params, boolean useParams) {
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
    } else if (p instanceof Between b) {
      String lo = lit(b.lo(), params, useParams);
      String hi = lit(b.hi(), params, useParams);
      return names.get(b.col()) + (b.not() ? " NOT BETWEEN " : " BETWEEN ") + lo + " AND " + hi;
    } else if (p instanceof IsNull n) {
      return names.get(n.col()) + (n.not() ? " IS NOT NULL" : " IS NULL");
    } else if (p instanceof And a) {
      String l = sql(a.l(), names, params, useParams);
      return "(" + l + " AND " + sql(a.r(), names, params, useParams) + ")";
    } else if (p instanceof Or o) {
      String l = sql(o.l(), names, params, useParams);
      return "(" + l + " OR " + sql(o.r(), names, params, useParams) + ")";
    }
    return "NOT (" + sql(((Not) p).p(), names, params, useParams) + ")";
  }

  private static String lit(Object v, List<Object> params, boolean useParams) {
    if (useParams && v != null) {
      params.add(v);
      return "?";
    }
    return ColType.literal(v);
  }

  private static Boolean not(Boolean b) {
    return b == null ? null : !b;
  }

  private static Boolean and(Boolean l, Boolean r) {
    if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
      return Boolean.FALSE;
    }
    return (l == null || r == null) ? null : Boolean.TRUE;
  }
}
