package io.veritydb.query;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;

/**
 * SQL's operator precedence for conditions, applied to JSqlParser's trees: a test (comparison, IN,
 * BETWEEN, LIKE, IS NULL) binds tighter than NOT, NOT tighter than AND, AND tighter than OR; AND
 * and OR group from the left.
 *
 * <p>JSqlParser 5.3 departs from it in two ways, both from its grammar:
 *
 * <ul>
 *   <li>The right side of IN is a whole condition ({@code InExpression} reads {@code Expression()},
 *       the OR/AND level), so the list swallows everything after it: {@code p AND a IN (1) OR q}
 *       reads as {@code p AND a IN ((1) OR q)}, {@code NOT a IN (1) OR q} as {@code NOT a IN ((1)
 *       OR q)}.
 *   <li>Its primary expressions take a NOT prefix, so a second NOT before a test binds to the
 *       test's first operand: {@code NOT NOT a = 1} reads as {@code NOT ((NOT a) = 1)}.
 * </ul>
 *
 * <p>{@link #regroup} lays the boolean level of a tree out again in the order of the text (tests,
 * NOT, AND, OR; a parenthesised group is one operand) and builds it anew by precedence (operator
 * precedence parsing with two stacks, no recursion). The layout is exact because every node of the
 * parser's tree covers a contiguous stretch of the text. The contents of a parenthesised group are
 * regrouped separately, when the translator reaches them.
 */
final class Precedence {
  private Precedence() {}

  /** The most NOTs hoisted out of one test's first operand (the parser allows one). */
  private static final int MAX_HOISTED = 8;

  private enum Kind {
    TEST,
    NOT,
    AND,
    OR
  }

  /** One element of the condition in text order: an operator, or a test (its expression). */
  private record Token(Kind kind, Expression test) {}

  /** A node to lay out, or (node null) an AND or OR operator to emit when it is popped. */
  private record Work(Expression node, Kind op) {}

  /**
   * {@code root} grouped by SQL's precedence. Tests keep their parser nodes (a NOT taken out of a
   * test's first operand is removed from that node); AND, OR, NOT and repaired IN nodes are new.
   */
  static Expression regroup(Expression root) {
    return build(layOut(root));
  }

  /** The boolean level of {@code root} as tokens in the order of the text. */
  private static List<Token> layOut(Expression root) {
    List<Token> out = new ArrayList<>();
    Deque<Work> work = new ArrayDeque<>();
    work.push(new Work(root, null));
    // An IN whose right side the parser read as a condition: the first test laid out from that
    // side is its list, and the rest follows the IN at its own level.
    InExpression pendingIn = null;
    while (!work.isEmpty()) {
      Work w = work.pop();
      Expression e = w.node();
      if (e == null) {
        out.add(new Token(w.op(), null));
      } else if (e instanceof AndExpression a) {
        pushBinary(work, a, Kind.AND);
      } else if (e instanceof OrExpression o) {
        pushBinary(work, o, Kind.OR);
      } else if (e instanceof XorExpression) {
        throw ExprTranslator.unsupported(e);
      } else if (pendingIn != null) {
        if (!isTest(e) || e instanceof InExpression) {
          throw notAList(pendingIn, e);
        }
        InExpression in = new InExpression(pendingIn.getLeftExpression(), e);
        in.setNot(pendingIn.isNot());
        out.add(new Token(Kind.TEST, in));
        pendingIn = null;
      } else if (e instanceof NotExpression n) {
        out.add(new Token(Kind.NOT, null));
        work.push(new Work(n.getExpression(), null));
      } else {
        addNots(out, hoistNots(e));
        if (e instanceof InExpression in && isCondition(in.getRightExpression())) {
          pendingIn = in;
          work.push(new Work(in.getRightExpression(), null));
        } else {
          out.add(new Token(Kind.TEST, e));
        }
      }
    }
    Checks.checkState(pendingIn == null, "an IN without its list");
    return out;
  }

  private static void pushBinary(Deque<Work> work, BinaryExpression b, Kind op) {
    work.push(new Work(b.getRightExpression(), null));
    work.push(new Work(null, op));
    work.push(new Work(b.getLeftExpression(), null));
  }

  private static void addNots(List<Token> out, int n) {
    for (int i = 0; i < n; i++) {
      out.add(new Token(Kind.NOT, null));
    }
  }

  /** Whether the parser built {@code e} from a condition's operators (AND, OR, NOT, XOR). */
  private static boolean isCondition(Expression e) {
    return e instanceof AndExpression
        || e instanceof OrExpression
        || e instanceof XorExpression
        || e instanceof NotExpression;
  }

  private static boolean isTest(Expression e) {
    return !isCondition(e);
  }

  private static BadRequestException notAList(InExpression in, Expression found) {
    return new BadRequestException(
        "IN needs a list of values in parentheses: "
            + in.getLeftExpression()
            + (in.isNot() ? " NOT IN " : " IN ")
            + "is followed by "
            + found);
  }

  /**
   * Takes a NOT out of the first operand of {@code test} (the parser's reading of {@code NOT NOT a
   * = 1}): the operand loses it and the count is returned, for NOTs in front of the whole test.
   */
  private static int hoistNots(Expression test) {
    int hoisted = 0;
    while (true) {
      Expression parent = test;
      Expression first = firstOperand(parent);
      int steps = 0;
      while (first != null && !(first instanceof NotExpression)) {
        // Every node covers at least one character of the text.
        Checks.checkState(++steps <= SqlTranslator.MAX_SQL_LENGTH, "operand chain", steps);
        parent = first;
        first = firstOperand(parent);
      }
      if (!(first instanceof NotExpression not)) {
        return hoisted;
      }
      if (++hoisted > MAX_HOISTED) {
        throw new BadRequestException("too many NOTs in front of " + test);
      }
      setFirstOperand(parent, not.getExpression());
    }
  }

  /** The operand that starts the text of {@code e}, for the nodes whose text starts with one. */
  private static Expression firstOperand(Expression e) {
    if (e instanceof BinaryExpression b && !isCondition(e)) {
      return b.getLeftExpression();
    } else if (e instanceof InExpression in) {
      return in.getLeftExpression();
    } else if (e instanceof Between b) {
      return b.getLeftExpression();
    } else if (e instanceof IsNullExpression n) {
      return n.getLeftExpression();
    }
    return null;
  }

  private static void setFirstOperand(Expression e, Expression operand) {
    if (e instanceof BinaryExpression b) {
      b.setLeftExpression(operand);
    } else if (e instanceof InExpression in) {
      in.setLeftExpression(operand);
    } else if (e instanceof Between b) {
      b.setLeftExpression(operand);
    } else {
      ((IsNullExpression) e).setLeftExpression(operand);
    }
  }

  /**
   * The tree of {@code tokens} by precedence: NOT before AND before OR, AND and OR from the left.
   */
  private static Expression build(List<Token> tokens) {
    Deque<Expression> operands = new ArrayDeque<>();
    Deque<Kind> operators = new ArrayDeque<>();
    boolean wantOperand = true;
    for (Token t : tokens) {
      switch (t.kind()) {
        case TEST -> {
          Checks.checkState(wantOperand, "a test where an operator belongs");
          operands.push(t.test());
          wantOperand = false;
        }
        case NOT -> {
          Checks.checkState(wantOperand, "NOT where an operator belongs");
          operators.push(Kind.NOT);
        }
        case AND, OR -> {
          Checks.checkState(!wantOperand, "AND or OR where an operand belongs");
          while (!operators.isEmpty() && binding(operators.peek()) >= binding(t.kind())) {
            reduce(operators.pop(), operands);
          }
          operators.push(t.kind());
          wantOperand = true;
        }
      }
    }
    Checks.checkState(!wantOperand, "a condition ending in an operator");
    while (!operators.isEmpty()) {
      reduce(operators.pop(), operands);
    }
    Checks.checkState(operands.size() == 1, "operands left", operands.size());
    return operands.pop();
  }

  /** How tightly an operator binds: higher first. */
  private static int binding(Kind k) {
    return switch (k) {
      case NOT -> 3;
      case AND -> 2;
      case OR -> 1;
      case TEST -> throw new IllegalArgumentException("a test is not an operator");
    };
  }

  private static void reduce(Kind op, Deque<Expression> operands) {
    Expression right = operands.pop();
    switch (op) {
      case NOT -> operands.push(new NotExpression(right));
      case AND -> operands.push(new AndExpression(operands.pop(), right));
      case OR -> operands.push(new OrExpression(operands.pop(), right));
      case TEST -> throw new IllegalArgumentException("a test is not an operator");
    }
  }
}
