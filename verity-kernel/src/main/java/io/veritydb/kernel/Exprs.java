package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/** Iterative walks over {@link Expr} trees: no recursion, bounded by {@link #MAX_NODES}. */
public final class Exprs {
  private Exprs() {}

  /** The most nodes one expression may have. */
  public static final int MAX_NODES = 10_000;

  /** The direct children of {@code e}, left to right. */
  public static List<Expr> children(Expr e) {
    if (e instanceof Expr.Compare c) {
      return List.of(c.left(), c.right());
    } else if (e instanceof Expr.Arith a) {
      return List.of(a.left(), a.right());
    } else if (e instanceof Expr.And a) {
      return List.of(a.left(), a.right());
    } else if (e instanceof Expr.Or o) {
      return List.of(o.left(), o.right());
    } else if (e instanceof Expr.Not n) {
      return List.of(n.operand());
    } else if (e instanceof Expr.IsNull n) {
      return List.of(n.operand());
    } else if (e instanceof Expr.Between b) {
      return List.of(b.operand(), b.low(), b.high());
    } else if (e instanceof Expr.InList in) {
      List<Expr> all = new ArrayList<>(in.items().size() + 1);
      all.add(in.operand());
      all.addAll(in.items());
      return all;
    }
    return List.of();
  }

  /** The number of children a node of this shape has. */
  static int arity(Expr e) {
    if (e instanceof Expr.Compare
        || e instanceof Expr.Arith
        || e instanceof Expr.And
        || e instanceof Expr.Or) {
      return 2;
    } else if (e instanceof Expr.Not || e instanceof Expr.IsNull) {
      return 1;
    } else if (e instanceof Expr.Between) {
      return 3;
    } else if (e instanceof Expr.InList in) {
      return in.items().size() + 1;
    }
    return 0;
  }

  /** {@code e} with its children replaced by {@code kids} (same count). */
  public static Expr withChildren(Expr e, List<Expr> kids) {
    if (e instanceof Expr.Compare c) {
      return new Expr.Compare(c.op(), kids.get(0), kids.get(1));
    } else if (e instanceof Expr.Arith a) {
      return new Expr.Arith(a.op(), kids.get(0), kids.get(1));
    } else if (e instanceof Expr.And) {
      return new Expr.And(kids.get(0), kids.get(1));
    } else if (e instanceof Expr.Or) {
      return new Expr.Or(kids.get(0), kids.get(1));
    } else if (e instanceof Expr.Not) {
      return new Expr.Not(kids.get(0));
    } else if (e instanceof Expr.IsNull n) {
      return new Expr.IsNull(kids.get(0), n.negated());
    } else if (e instanceof Expr.Between) {
      return new Expr.Between(kids.get(0), kids.get(1), kids.get(2));
    } else if (e instanceof Expr.InList) {
      return new Expr.InList(kids.get(0), kids.subList(1, kids.size()));
    }
    return e;
  }

  /** The nodes in post-order (children left to right, then the node). */
  public static List<Expr> postOrder(Expr root) {
    Deque<Expr> todo = new ArrayDeque<>();
    Deque<Expr> reversed = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Expr n = todo.pop();
      reversed.push(n);
      if (reversed.size() > MAX_NODES) {
        throw new BadRequestException("expression too large: more than " + MAX_NODES + " terms");
      }
      for (Expr c : children(n)) {
        todo.push(c);
      }
    }
    return new ArrayList<>(reversed);
  }

  /**
   * Rebuilds the tree bottom-up: {@code fn} sees every node with its children already rebuilt and
   * returns its replacement.
   */
  public static Expr transform(Expr root, UnaryOperator<Expr> fn) {
    Deque<Expr> stack = new ArrayDeque<>();
    for (Expr n : postOrder(root)) {
      int k = arity(n);
      Expr rebuilt = n;
      if (k > 0) {
        Expr[] kids = new Expr[k];
        for (int i = k - 1; i >= 0; i--) {
          kids[i] = stack.pop();
        }
        rebuilt = withChildren(n, List.of(kids));
      }
      stack.push(fn.apply(rebuilt));
    }
    return stack.pop();
  }

  /**
   * Whether {@code e} computes a value from literals, parameters, columns and arithmetic only (what
   * an UPDATE's SET may use).
   */
  public static boolean isValue(Expr e) {
    for (Expr n : postOrder(e)) {
      if (!(n instanceof Expr.Literal
          || n instanceof Expr.Param
          || n instanceof Expr.Column
          || n instanceof Expr.Arith)) {
        return false;
      }
    }
    return true;
  }

  /** The top-level AND terms of {@code where}. */
  public static List<Expr> conjuncts(Expr where) {
    List<Expr> out = new ArrayList<>();
    Deque<Expr> todo = new ArrayDeque<>();
    todo.push(where);
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      if (e instanceof Expr.And a) {
        todo.push(a.right());
        todo.push(a.left());
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /** SQL text of an expression, fully parenthesised where it matters. */
  public static String toSql(Expr root) {
    Deque<String> stack = new ArrayDeque<>();
    for (Expr n : postOrder(root)) {
      int k = arity(n);
      String[] kids = new String[k];
      for (int i = k - 1; i >= 0; i--) {
        kids[i] = stack.pop();
      }
      stack.push(sqlOf(n, kids));
    }
    return stack.pop();
  }

  private static String sqlOf(Expr n, String[] kids) {
    if (n instanceof Expr.Literal l) {
      return Values.render(l.value());
    } else if (n instanceof Expr.Param p) {
      return "?" + (p.index() + 1);
    } else if (n instanceof Expr.Column c) {
      return c.name();
    } else if (n instanceof Expr.Compare c) {
      return kids[0] + " " + c.op().sql() + " " + kids[1];
    } else if (n instanceof Expr.Arith a) {
      return "(" + kids[0] + " " + a.op().sql() + " " + kids[1] + ")";
    } else if (n instanceof Expr.InList) {
      return kids[0] + " IN (" + String.join(", ", List.of(kids).subList(1, kids.length)) + ")";
    } else if (n instanceof Expr.Between) {
      return kids[0] + " BETWEEN " + kids[1] + " AND " + kids[2];
    } else if (n instanceof Expr.IsNull x) {
      return kids[0] + (x.negated() ? " IS NOT NULL" : " IS NULL");
    } else if (n instanceof Expr.And) {
      return "(" + kids[0] + " AND " + kids[1] + ")";
    } else if (n instanceof Expr.Or) {
      return "(" + kids[0] + " OR " + kids[1] + ")";
    }
    return "NOT (" + kids[0] + ")";
  }
}
