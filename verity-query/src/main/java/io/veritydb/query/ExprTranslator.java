package io.veritydb.query;

import io.veritydb.kernel.Expr;
import io.veritydb.types.BadRequestException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.Select;

/**
 * JSqlParser expressions to kernel {@link Expr} trees, without recursion (an explicit stack of
 * frames). Parameters are numbered in textual order across one statement, so one translator is used
 * per statement. Anything outside the subset fails naming the construct.
 */
final class ExprTranslator {
  static final int MAX_DEPTH = 200;

  private final String table;
  private final String alias;
  private int nextParam;

  ExprTranslator(String table, String alias) {
    this.table = table;
    this.alias = alias;
  }

  /**
   * A translator for a statement over {@code table}, whose columns expressions may qualify with the
   * alias {@code from} gives it, else with the table's name.
   */
  static ExprTranslator forTable(String table, Table from) {
    return new ExprTranslator(
        table, from.getAlias() == null ? table : Names.normalize(from.getAlias().getName()));
  }

  int parameterCount() {
    return nextParam;
  }

  private static final class Frame {
    final Expression e;
    final List<Expression> kids;
    final List<Expr> done = new ArrayList<>();
    int next;

    Frame(Expression e, List<Expression> kids) {
      this.e = e;
      this.kids = kids;
    }
  }

  /**
   * {@code root} as a kernel expression, grouped by SQL's operator precedence ({@link Precedence}):
   * the root and every parenthesised expression are regrouped before they are translated.
   */
  Expr convert(Expression root) {
    Expression grouped = Precedence.regroup(root);
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(grouped, children(grouped)));
    Expr result = null;
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next < f.kids.size()) {
        Expression k = f.kids.get(f.next++);
        if (stack.size() >= MAX_DEPTH) {
          throw new BadRequestException(
              "expression nested too deeply (more than " + MAX_DEPTH + ")");
        }
        stack.push(new Frame(k, children(k)));
        continue;
      }
      stack.pop();
      Expr built = build(f.e, f.done);
      if (stack.isEmpty()) {
        result = built;
      } else {
        stack.peek().done.add(built);
      }
    }
    return result;
  }

  /** A value in an INSERT row, a SET, a LIMIT: a literal or a parameter, nothing else. */
  Expr value(Expression e, String where) {
    Expr x = convert(e);
    if (!(x instanceof Expr.Literal || x instanceof Expr.Param)) {
      throw new BadRequestException(
          where + " must be a value or a ? parameter, not " + e.toString().trim());
    }
    return x;
  }

  private static List<Expression> children(Expression e) {
    if (e instanceof AndExpression a) {
      return List.of(a.getLeftExpression(), a.getRightExpression());
    } else if (e instanceof OrExpression o) {
      return List.of(o.getLeftExpression(), o.getRightExpression());
    } else if (e instanceof NotExpression n) {
      return List.of(n.getExpression());
    } else if (e instanceof EqualsTo
        || e instanceof NotEqualsTo
        || e instanceof GreaterThan
        || e instanceof GreaterThanEquals
        || e instanceof MinorThan
        || e instanceof MinorThanEquals
        || e instanceof Addition
        || e instanceof Subtraction
        || e instanceof Multiplication) {
      var b = (net.sf.jsqlparser.expression.BinaryExpression) e;
      return List.of(b.getLeftExpression(), b.getRightExpression());
    } else if (e instanceof ParenthesedExpressionList<?> p) {
      if (p.size() != 1) {
        throw new BadRequestException("row values " + e + " are not supported");
      }
      return List.of(Precedence.regroup(p.get(0)));
    } else if (e instanceof InExpression in) {
      Expression right = in.getRightExpression();
      if (right instanceof Select) {
        throw unsupported(right);
      }
      if (!(right instanceof ExpressionList<?> list)) {
        throw new BadRequestException("IN needs a list of values in parentheses, not " + right);
      }
      List<Expression> kids = new ArrayList<>();
      kids.add(in.getLeftExpression());
      for (Expression item : list) {
        kids.add(Precedence.regroup(item));
      }
      if (kids.size() < 2) {
        throw new BadRequestException("IN needs at least one value");
      }
      return kids;
    } else if (e instanceof Between b) {
      return List.of(
          b.getLeftExpression(), b.getBetweenExpressionStart(), b.getBetweenExpressionEnd());
    } else if (e instanceof IsNullExpression n) {
      return List.of(n.getLeftExpression());
    } else if (e instanceof LongValue
        || e instanceof DoubleValue
        || e instanceof StringValue
        || e instanceof NullValue
        || e instanceof JdbcParameter
        || e instanceof Column
        || e instanceof BooleanValue
        || e instanceof DateTimeLiteralExpression
        || e instanceof HexValue
        || e instanceof SignedExpression
        || isTypedLiteral(e)) {
      return List.of();
    }
    throw unsupported(e);
  }

  /** {@code TIMESTAMP '...'} and {@code DATE '...'}: JSqlParser reads them as an implicit cast. */
  private static boolean isTypedLiteral(Expression e) {
    if (!(e instanceof CastExpression c) || !(c.getLeftExpression() instanceof StringValue)) {
      return false;
    }
    String type = c.getColDataType().getDataType().toUpperCase(Locale.ROOT);
    return type.startsWith("TIMESTAMP") || type.equals("DATE");
  }

  /** A {@link BadRequestException} naming the construct. */
  static BadRequestException unsupported(Expression e) {
    String what;
    if (e instanceof Function f) {
      String name = f.getName() == null ? "" : f.getName().toUpperCase(Locale.ROOT);
      what =
          switch (name) {
            case "COUNT", "SUM", "AVG", "MIN", "MAX" -> "aggregate function " + name + "()";
            default -> "function " + name + "()";
          };
    } else if (e instanceof AnalyticExpression) {
      what = "window function " + e;
    } else if (e instanceof Select || e instanceof ExistsExpression) {
      what = "subquery";
    } else if (e instanceof CaseExpression) {
      what = "CASE";
    } else if (e instanceof CastExpression) {
      what = "CAST";
    } else if (e instanceof LikeExpression) {
      what = "LIKE";
    } else if (e instanceof Division
        || e instanceof Concat
        || e instanceof net.sf.jsqlparser.expression.operators.arithmetic.Modulo) {
      what = "arithmetic (" + e + ")";
    } else {
      what = "expression " + e;
    }
    return new BadRequestException(what + " is not supported");
  }

  private Expr build(Expression e, List<Expr> k) {
    if (e instanceof AndExpression) {
      return new Expr.And(k.get(0), k.get(1));
    } else if (e instanceof OrExpression) {
      return new Expr.Or(k.get(0), k.get(1));
    } else if (e instanceof NotExpression) {
      return new Expr.Not(k.get(0));
    } else if (e instanceof EqualsTo) {
      return new Expr.Compare(Expr.CmpOp.EQ, k.get(0), k.get(1));
    } else if (e instanceof NotEqualsTo) {
      return new Expr.Compare(Expr.CmpOp.NE, k.get(0), k.get(1));
    } else if (e instanceof GreaterThan) {
      return new Expr.Compare(Expr.CmpOp.GT, k.get(0), k.get(1));
    } else if (e instanceof GreaterThanEquals) {
      return new Expr.Compare(Expr.CmpOp.GE, k.get(0), k.get(1));
    } else if (e instanceof MinorThan) {
      return new Expr.Compare(Expr.CmpOp.LT, k.get(0), k.get(1));
    } else if (e instanceof MinorThanEquals) {
      return new Expr.Compare(Expr.CmpOp.LE, k.get(0), k.get(1));
    } else if (e instanceof ParenthesedExpressionList) {
      return k.get(0);
    } else if (e instanceof Addition) {
      return new Expr.Arith(Expr.ArithOp.ADD, k.get(0), k.get(1));
    } else if (e instanceof Subtraction) {
      return new Expr.Arith(Expr.ArithOp.SUB, k.get(0), k.get(1));
    } else if (e instanceof Multiplication) {
      return new Expr.Arith(Expr.ArithOp.MUL, k.get(0), k.get(1));
    } else if (e instanceof InExpression in) {
      Expr x = new Expr.InList(k.get(0), k.subList(1, k.size()));
      return in.isNot() ? new Expr.Not(x) : x;
    } else if (e instanceof Between b) {
      Expr x = new Expr.Between(k.get(0), k.get(1), k.get(2));
      return b.isNot() ? new Expr.Not(x) : x;
    } else if (e instanceof IsNullExpression n) {
      return new Expr.IsNull(k.get(0), n.isNot());
    } else if (e instanceof JdbcParameter) {
      return new Expr.Param(nextParam++);
    } else if (e instanceof Column c) {
      return column(c);
    }
    try {
      return new Expr.Literal(literal(e));
    } catch (java.time.DateTimeException | IllegalArgumentException bad) {
      throw new BadRequestException("bad literal " + e + ": " + bad.getMessage(), bad);
    }
  }

  private Expr column(Column c) {
    String name = Names.normalize(c.getColumnName());
    if (c.getTable() != null && c.getTable().getName() != null) {
      String qualifier = Names.normalize(c.getTable().getName());
      if (!qualifier.equals(table) && !qualifier.equals(alias)) {
        throw new BadRequestException(
            "column " + qualifier + "." + name + " does not refer to table " + table);
      }
    } else if (!Names.isQuoted(c.getColumnName())) {
      if (name.equals("true")) {
        return new Expr.Literal(true);
      } else if (name.equals("false")) {
        return new Expr.Literal(false);
      }
    }
    return new Expr.Column(name);
  }

  static Object literal(Expression e) {
    if (e instanceof LongValue l) {
      return parseLong(l);
    } else if (e instanceof DoubleValue d) {
      return new BigDecimal(d.toString());
    } else if (e instanceof StringValue s) {
      return s.getNotExcapedValue();
    } else if (e instanceof NullValue) {
      return null;
    } else if (e instanceof BooleanValue b) {
      return b.getValue();
    } else if (e instanceof HexValue h) {
      String digits = h.getDigits();
      if (digits.length() % 2 != 0) {
        throw new BadRequestException("hex literal " + h + " has an odd number of digits");
      }
      return HexFormat.of().parseHex(digits);
    } else if (e instanceof DateTimeLiteralExpression d) {
      String v = d.getValue();
      if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
        v = v.substring(1, v.length() - 1);
      }
      String type = String.valueOf(d.getType());
      if (type.equals("DATE")) {
        return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
      } else if (type.startsWith("TIMESTAMP")) {
        return timestamp(v);
      }
      throw new BadRequestException(type + " literals are not supported");
    } else if (isTypedLiteral(e)) {
      CastExpression c = (CastExpression) e;
      String v = ((StringValue) c.getLeftExpression()).getValue();
      String type = c.getColDataType().getDataType().toUpperCase(Locale.ROOT);
      if (type.equals("DATE")) {
        return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return timestamp(v);
    } else if (e instanceof SignedExpression s) {
      Expression inner = s.getExpression();
      if (!(inner instanceof LongValue || inner instanceof DoubleValue)) {
        throw new BadRequestException("sign " + s.getSign() + " before a non-number: " + s);
      }
      Object v = inner instanceof LongValue l ? parseLong(l) : new BigDecimal(inner.toString());
      if (s.getSign() != '-') {
        return v;
      }
      if (v instanceof Long x) {
        return x == Long.MIN_VALUE ? BigDecimal.valueOf(x).negate() : -x;
      }
      BigDecimal neg = ((BigDecimal) v).negate();
      return neg.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) == 0 ? (Object) Long.MIN_VALUE : neg;
    }
    throw unsupported(e);
  }

  private static Object parseLong(LongValue l) {
    String s = l.getStringValue();
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException tooBig) {
      return new BigDecimal(s);
    }
  }

  private static Instant timestamp(String v) {
    try {
      return Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (java.time.format.DateTimeParseException e2) {
        throw new BadRequestException(
            "TIMESTAMP '" + v + "' is not a timestamp (use 2024-01-31T12:00:00Z)", e2);
      }
    }
  }
}
