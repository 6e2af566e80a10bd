package io.veritydb.kernel;

import io.veritydb.types.Checks;
import java.util.Arrays;
import java.util.List;

/**
 * A typed expression of the SQL subset: WHERE predicates and SET values. Values are plain Java
 * objects (see {@link Values}). Trees are walked without recursion through {@link Exprs}.
 */
public sealed interface Expr {
  /** The predicate of a statement without WHERE. */
  Expr TRUE = new Literal(true);

  /** A constant value (Long, Integer, String, Boolean, BigDecimal, Instant, byte[] or null). */
  record Literal(Object value) implements Expr {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Literal l)) {
        return false;
      }
      if (value instanceof byte[] a && l.value instanceof byte[] b) {
        return Arrays.equals(a, b);
      }
      return java.util.Objects.equals(value, l.value);
    }

    @Override
    public int hashCode() {
      return value instanceof byte[] b ? Arrays.hashCode(b) : java.util.Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return Values.render(value);
    }
  }

  /** A positional parameter {@code ?}, 0-based. */
  record Param(int index) implements Expr {
    public Param {
      Checks.checkArgument(index >= 0, "paramIndex", index);
    }
  }

  /** A column of the statement's table, by name. */
  record Column(String name) implements Expr {
    public Column {
      Checks.checkNotNull(name, "name");
    }
  }

  /** {@code left op right}. */
  record Compare(CmpOp op, Expr left, Expr right) implements Expr {}

  /** {@code operand IN (items...)}; NOT IN is {@code Not(InList)}. */
  record InList(Expr operand, List<Expr> items) implements Expr {
    public InList {
      items = List.copyOf(items);
      Checks.checkArgument(!items.isEmpty(), "IN needs at least one value");
    }
  }

  /** {@code operand BETWEEN low AND high}; NOT BETWEEN is {@code Not(Between)}. */
  record Between(Expr operand, Expr low, Expr high) implements Expr {}

  /** {@code operand IS [NOT] NULL}. */
  record IsNull(Expr operand, boolean negated) implements Expr {}

  record And(Expr left, Expr right) implements Expr {}

  record Or(Expr left, Expr right) implements Expr {}

  record Not(Expr operand) implements Expr {}

  /** {@code left op right} on numbers: exact, overflow is an error, NULL in gives NULL out. */
  record Arith(ArithOp op, Expr left, Expr right) implements Expr {}

  /** Arithmetic operators (no division: its integer/decimal semantics differ between databases). */
  enum ArithOp {
    ADD("+"),
    SUB("-"),
    MUL("*");

    private final String sql;

    ArithOp(String sql) {
      this.sql = sql;
    }

    public String sql() {
      return sql;
    }
  }

  /** Comparison operators. */
  enum CmpOp {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String sql;

    CmpOp(String sql) {
      this.sql = sql;
    }

    public String sql() {
      return sql;
    }

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    public CmpOp flip() {
      return switch (this) {
        case EQ, NE -> this;
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
      };
    }

    /** Whether a comparison result {@code c} (sign of compare) satisfies the operator. */
    public boolean test(int c) {
      return switch (this) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
      };
    }
  }
}
