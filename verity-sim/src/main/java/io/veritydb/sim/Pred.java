package io.veritydb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A WHERE predicate of the workload, rendered to SQL and evaluated by the model in Java with SQL's
 * three-valued logic (null = unknown). Kept to comparisons, IN, BETWEEN, IS NULL, AND, OR and NOT
 * on one column at a time, so that the model is obviously right. The tree is the meaning; the text
 * is either fully parenthesised or written as users write it, with only the parentheses SQL's
 * precedence needs (tests bind tighter than NOT, NOT tighter than AND, AND tighter than OR), so
 * {@code a = 1 AND b IN (2) OR NOT c BETWEEN 1 AND 2 AND d IS NULL} means what the tree says.
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

  /**
   * SQL text, every AND and OR in parentheses and NOT's operand too; non-null literals become
   * {@code ?} parameters (added to params, in text order) when asked.
   */
  static String sql(Pred p, List<String> names, List<Object> params, boolean useParams) {
    return sql(p, names, params, useParams, false);
  }

  /**
   * SQL text, fully parenthesised or ({@code minimal}) with parentheses only where precedence needs
   * them: around an OR inside an AND or a NOT, around an AND inside a NOT.
   */
  static String sql(
      Pred p, List<String> names, List<Object> params, boolean useParams, boolean minimal) {
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
      String l = operand(a.l(), AND, names, params, useParams, minimal);
      String text = l + " AND " + operand(a.r(), AND, names, params, useParams, minimal);
      return minimal ? text : "(" + text + ")";
    } else if (p instanceof Or o) {
      String l = operand(o.l(), OR, names, params, useParams, minimal);
      String text = l + " OR " + operand(o.r(), OR, names, params, useParams, minimal);
      return minimal ? text : "(" + text + ")";
    }
    Pred inner = ((Not) p).p();
    if (!minimal) {
      return "NOT (" + sql(inner, names, params, useParams, false) + ")";
    }
    if (inner instanceof Not twice && binding(twice.p()) <= NOT) {
      // The SQL parser takes two NOTs in a row only before a test (docs/notes-kernel-query.md:
      // "NOT NOT (" is refused as malformed): NOT (NOT (a OR b)), NOT (NOT NOT a = 1).
      return "NOT (" + sql(inner, names, params, useParams, true) + ")";
    }
    return "NOT " + operand(inner, NOT, names, params, useParams, true);
  }

  /** How tightly each connective binds (a test binds tighter than all). */
  int OR = 1;

  int AND = 2;

  int NOT = 3;

  private static int binding(Pred p) {
    if (p instanceof Or) {
      return OR;
    } else if (p instanceof And) {
      return AND;
    } else if (p instanceof Not) {
      return NOT;
    }
    return NOT + 1;
  }

  /** {@code p} as an operand of a connective that binds {@code parent}-tightly. */
  private static String operand(
      Pred p,
      int parent,
      List<String> names,
      List<Object> params,
      boolean useParams,
      boolean minimal) {
    String text = sql(p, names, params, useParams, minimal);
    return minimal && binding(p) < parent ? "(" + text + ")" : text;
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
