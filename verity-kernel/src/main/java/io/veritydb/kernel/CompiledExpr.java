package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.SqlType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * An expression resolved against a table and bound to its parameter values, compiled to a
 * post-order program that an interpreter runs over a row without recursion. Comparisons follow SQL
 * three-valued logic: a comparison with NULL is unknown (null), AND/OR/NOT combine unknowns as SQL
 * does, and a WHERE keeps only rows where the predicate is TRUE.
 *
 * <p>Not thread-safe (it reuses its value stack); compile one per execution.
 */
public final class CompiledExpr {
  private static final int LIT = 0;
  private static final int COL = 1;
  private static final int CMP = 2;
  private static final int IN = 3;
  private static final int BETWEEN = 4;
  private static final int ISNULL = 5;
  private static final int ISNOTNULL = 6;
  private static final int AND = 7;
  private static final int OR = 8;
  private static final int NOT = 9;
  private static final int ARITH = 10;

  /** {@code x IN (constants)}: a binary search in the sorted constants ({@link #IN_SET_MIN}+). */
  private static final int IN_SET = 11;

  /**
   * From this many items on, an IN list of literals is compiled to a sorted set: a re-check of a
   * 1000-id UPDATE's predicate on each of its 1000 rows is then 1000 searches, not 1,000,000
   * comparisons.
   */
  static final int IN_SET_MIN = 8;

  /** The resolved tree; null until {@link #resolved()} builds it from {@link #open}. */
  private Expr resolved;

  /** The tree with parameters left open, and the values bound to them (template instances). */
  private final Expr open;

  private final Object[] paramValues;
  private final int[] code;
  private final int[] arg;
  private final Object[] consts;
  private final Expr.CmpOp[] ops;
  private final Expr.ArithOp[] arith;
  private final Object[] stack;
  private final boolean[] columnsUsed;

  /** The number of instructions ({@link #code} may be longer). */
  private final int length;

  private CompiledExpr(Expr resolved, Expr internal, int columnCount) {
    this(resolved, internal, columnCount, null);
  }

  /**
   * Compiles {@code internal}; when {@code paramSlots} is given, parameter nodes are allowed and
   * become constants filled per execution ({@code paramSlots[p]} = the instruction of parameter p).
   */
  CompiledExpr(Expr resolved, Expr internal, int columnCount, int[] paramSlots) {
    this.resolved = resolved;
    this.open = null;
    this.paramValues = null;
    List<Expr> nodes = Exprs.postOrder(internal);
    int n = nodes.size();
    code = new int[n];
    arg = new int[n];
    consts = new Object[n];
    ops = new Expr.CmpOp[n];
    arith = new Expr.ArithOp[n];
    stack = new Object[n + 1];
    columnsUsed = new boolean[columnCount];
    boolean[] inSet = constantInLists(nodes);
    int i = 0;
    for (int j = 0; j < n; j++) {
      if (inSet[j]) {
        continue; // an item of a constant IN list, compiled into its set
      }
      Expr e = nodes.get(j);
      if (e instanceof Expr.InList in && isSetHead(in, nodes, j, inSet)) {
        code[i] = IN_SET;
        Object[] values = new Object[in.items().size()];
        int m = 0;
        for (Expr item : in.items()) {
          Object v = ((Expr.Literal) item).value();
          if (v == null) {
            arg[i] = 1; // a NULL item: not found is unknown, not false
          } else {
            values[m++] = v;
          }
        }
        Object[] sorted = java.util.Arrays.copyOf(values, m);
        java.util.Arrays.sort(sorted, Values::compare);
        consts[i] = sorted;
        i++;
        continue;
      }
      if (e instanceof Expr.Literal l) {
        code[i] = LIT;
        consts[i] = l.value();
      } else if (e instanceof Expr.Param p && paramSlots != null) {
        code[i] = LIT;
        paramSlots[p.index()] = i;
      } else if (e instanceof Expr.Column c) {
        code[i] = COL;
        arg[i] = Integer.parseInt(c.name().substring(1));
        columnsUsed[arg[i]] = true;
      } else if (e instanceof Expr.Compare c) {
        code[i] = CMP;
        ops[i] = c.op();
      } else if (e instanceof Expr.InList in) {
        code[i] = IN;
        arg[i] = in.items().size();
      } else if (e instanceof Expr.Between) {
        code[i] = BETWEEN;
      } else if (e instanceof Expr.IsNull x) {
        code[i] = x.negated() ? ISNOTNULL : ISNULL;
      } else if (e instanceof Expr.And) {
        code[i] = AND;
      } else if (e instanceof Expr.Or) {
        code[i] = OR;
      } else if (e instanceof Expr.Not) {
        code[i] = NOT;
      } else if (e instanceof Expr.Arith a) {
        code[i] = ARITH;
        arith[i] = a.op();
      } else {
        throw new IllegalStateException("unresolved node " + e);
      }
      i++;
    }
    length = i;
  }

  /**
   * Marks the items of IN lists of at least {@link #IN_SET_MIN} literals over values of one family
   * (in post-order they are the nodes right before the list).
   */
  private static boolean[] constantInLists(List<Expr> nodes) {
    boolean[] items = new boolean[nodes.size()];
    for (int j = 0; j < nodes.size(); j++) {
      if (nodes.get(j) instanceof Expr.InList in && in.items().size() >= IN_SET_MIN) {
        int k = in.items().size();
        boolean constant = j - k >= 1;
        Values.Family family = null;
        for (int m = 0; m < k && constant; m++) {
          Expr item = in.items().get(m);
          constant = nodes.get(j - k + m) == item && item instanceof Expr.Literal;
          Object v = constant ? ((Expr.Literal) item).value() : null;
          if (v != null) {
            Values.Family f = Values.family(v);
            constant = f != null && (family == null || family == f);
            family = f;
          }
        }
        if (constant) {
          for (int m = j - k; m < j; m++) {
            items[m] = true;
          }
        }
      }
    }
    return items;
  }

  /** Whether {@code in} at node {@code j} had its items marked by {@link #constantInLists}. */
  private static boolean isSetHead(Expr.InList in, List<Expr> nodes, int j, boolean[] inSet) {
    int k = in.items().size();
    return k >= IN_SET_MIN
        && j - k >= 0
        && inSet[j - k]
        && nodes.get(j - 1) == in.items().get(k - 1);
  }

  /**
   * An instance of the compiled {@code template} (which had open parameters) with {@code consts}
   * filled in: the program arrays are shared, the value stack is its own. {@code open} and {@code
   * paramValues} give {@link #resolved()} on demand.
   */
  CompiledExpr(CompiledExpr template, Object[] consts, Expr open, Object[] paramValues) {
    this.resolved = null;
    this.open = open;
    this.paramValues = paramValues;
    this.code = template.code;
    this.arg = template.arg;
    this.consts = consts;
    this.ops = template.ops;
    this.arith = template.arith;
    this.stack = new Object[template.stack.length];
    this.columnsUsed = template.columnsUsed;
    this.length = template.length;
  }

  /** The constants of the program (a copy, for instances of a template). */
  Object[] constants() {
    return consts.clone();
  }

  /** The values bound to the open parameters by index (template instances), else null. */
  Object[] paramValues() {
    return paramValues;
  }

  /**
   * Resolves {@code expr} against {@code table}: columns must exist, parameters are replaced by
   * {@code params} values, and both sides of every comparison must be of one family. Fails with
   * {@link BadRequestException} naming the column, parameter or values.
   */
  public static CompiledExpr predicate(TableDef table, Expr expr, Object[] params) {
    Expr bound = bind(table, expr, params);
    Values.Family f = familyOf(table, bound);
    if (f != null && f != Values.Family.BOOLEAN) {
      throw new BadRequestException(
          "WHERE must be a condition, not a value: " + Exprs.toSql(bound));
    }
    return new CompiledExpr(bound, internal(table, bound), table.columnCount());
  }

  /** Resolves a value expression (an UPDATE's SET value). */
  public static CompiledExpr value(TableDef table, Expr expr, Object[] params) {
    Expr bound = bind(table, expr, params);
    familyOf(table, bound);
    return new CompiledExpr(bound, internal(table, bound), table.columnCount());
  }

  /**
   * {@code expr} with parameters replaced by their values, and values compared with a column
   * converted for that column's type. Column names are checked against the table.
   */
  public static Expr bind(TableDef table, Expr expr, Object[] params) {
    Expr typed =
        resolve(
            table,
            expr,
            new ParamRule() {
              @Override
              public void reached(Expr.Param p) {
                if (p.index() >= params.length) {
                  throw new BadRequestException(
                      "parameter ?"
                          + (p.index() + 1)
                          + " has no value: "
                          + params.length
                          + " parameters given");
                }
              }

              @Override
              public Expr compared(Expr.Param p, Expr.Column col, SqlType type) {
                return new Expr.Literal(
                    Values.forComparison(
                        Values.normalize(params[p.index()], "parameter ?" + (p.index() + 1)),
                        type,
                        "parameter ?" + (p.index() + 1) + " (column " + col.name() + ")"));
              }
            });
    return Exprs.transform(
        typed,
        e ->
            e instanceof Expr.Param p
                ? new Expr.Literal(
                    Values.normalize(params[p.index()], "parameter ?" + (p.index() + 1)))
                : e);
  }

  /** What {@link #resolve} does with the parameters of the tree it walks. */
  interface ParamRule {
    /** Sees each parameter as the walk reaches it (before any comparison that holds it). */
    void reached(Expr.Param p);

    /**
     * What stands for parameter {@code p} compared with column {@code col} of type {@code type}.
     */
    Expr compared(Expr.Param p, Expr.Column col, SqlType type);
  }

  /**
   * {@code expr} with its literals normalized, its column names checked against the table, every
   * literal compared with a column converted for that column's type, and every parameter compared
   * with a column replaced as {@code params} says. {@link #bind} and {@link PredicateTemplate}
   * (which records the conversions to run once the values are known) both resolve this way, so the
   * two give the same tree and the same errors in the same order.
   */
  static Expr resolve(TableDef table, Expr expr, ParamRule params) {
    return Exprs.transform(
        expr,
        e -> {
          if (e instanceof Expr.Param p) {
            params.reached(p);
          } else if (e instanceof Expr.Literal l) {
            return new Expr.Literal(Values.normalize(l.value(), "literal"));
          } else if (e instanceof Expr.Column c) {
            table.requireOrdinal(c.name());
          } else if (e instanceof Expr.Compare c) {
            if (c.left() instanceof Expr.Column col) {
              return new Expr.Compare(c.op(), col, convert(table, col, c.right(), params));
            } else if (c.right() instanceof Expr.Column col) {
              return new Expr.Compare(c.op(), convert(table, col, c.left(), params), col);
            }
          } else if (e instanceof Expr.Between b && b.operand() instanceof Expr.Column col) {
            return new Expr.Between(
                col, convert(table, col, b.low(), params), convert(table, col, b.high(), params));
          } else if (e instanceof Expr.InList in && in.operand() instanceof Expr.Column col) {
            return new Expr.InList(
                col, in.items().stream().map(x -> convert(table, col, x, params)).toList());
          }
          return e;
        });
  }

  private static Expr convert(TableDef table, Expr.Column col, Expr other, ParamRule params) {
    SqlType type = table.column(table.requireOrdinal(col.name())).type();
    if (other instanceof Expr.Literal l) {
      return new Expr.Literal(
          Values.forComparison(
              l.value(), type, "column " + col.name() + " of table " + table.name()));
    } else if (other instanceof Expr.Param p) {
      return params.compared(p, col, type);
    }
    return other;
  }

  /** Replaces column names by internal ordinal references "#i" (names cannot start with #). */
  static Expr internal(TableDef table, Expr bound) {
    return Exprs.transform(
        bound,
        e ->
            e instanceof Expr.Column c ? new Expr.Column("#" + table.requireOrdinal(c.name())) : e);
  }

  /** Type-checks the bound tree; returns the family of its value (null when unknown: NULL). */
  static Values.Family familyOf(TableDef table, Expr bound) {
    Deque<Values.Family[]> stack = new ArrayDeque<>();
    for (Expr n : Exprs.postOrder(bound)) {
      int k = Exprs.arity(n);
      Values.Family[] kids = new Values.Family[k];
      for (int i = k - 1; i >= 0; i--) {
        kids[i] = stack.pop()[0];
      }
      Values.Family result;
      if (n instanceof Expr.Literal l) {
        result = Values.family(l.value());
      } else if (n instanceof Expr.Column c) {
        result = Values.family(table.column(table.requireOrdinal(c.name())).type());
      } else if (n instanceof Expr.Compare
          || n instanceof Expr.Between
          || n instanceof Expr.InList) {
        Values.Family common = null;
        for (Values.Family f : kids) {
          if (f != null && common != null && f != common) {
            throw new BadRequestException(
                "type mismatch in "
                    + Exprs.toSql(n)
                    + ": cannot compare "
                    + common.name().toLowerCase(java.util.Locale.ROOT)
                    + " with "
                    + f.name().toLowerCase(java.util.Locale.ROOT));
          }
          common = f == null ? common : f;
        }
        result = Values.Family.BOOLEAN;
      } else if (n instanceof Expr.IsNull) {
        result = Values.Family.BOOLEAN;
      } else if (n instanceof Expr.Arith) {
        for (Values.Family f : kids) {
          if (f != null && f != Values.Family.NUMBER) {
            throw new BadRequestException(
                "type mismatch in " + Exprs.toSql(n) + ": arithmetic needs numbers");
          }
        }
        result = Values.Family.NUMBER;
      } else {
        for (Values.Family f : kids) {
          if (f != null && f != Values.Family.BOOLEAN) {
            throw new BadRequestException(
                "type mismatch in " + Exprs.toSql(n) + ": AND, OR and NOT need conditions");
          }
        }
        result = Values.Family.BOOLEAN;
      }
      stack.push(new Values.Family[] {result});
    }
    return stack.pop()[0];
  }

  /** The expression as resolved (parameters bound, values converted), for EXPLAIN. */
  public Expr resolved() {
    if (resolved == null) {
      Object[] values = paramValues;
      resolved =
          Exprs.transform(
              open, e -> e instanceof Expr.Param p ? new Expr.Literal(values[p.index()]) : e);
    }
    return resolved;
  }

  /** Whether the expression reads column {@code ordinal}. */
  boolean usesColumn(int ordinal) {
    return columnsUsed[ordinal];
  }

  /** Which columns the expression reads. */
  public boolean[] columnsUsed() {
    return columnsUsed.clone();
  }

  /** Whether the predicate is TRUE for {@code row} (unknown and FALSE both reject). */
  public boolean matches(Object[] row) {
    return Boolean.TRUE.equals(eval(row));
  }

  /** Runs the program: TRUE, FALSE, null (unknown) for predicates; the value for values. */
  public Object eval(Object[] row) {
    int sp = 0;
    Object[] s = stack;
    for (int i = 0; i < length; i++) {
      switch (code[i]) {
        case LIT -> s[sp++] = consts[i];
        case COL -> s[sp++] = row[arg[i]];
        case CMP -> {
          Object b = s[--sp];
          Object a = s[--sp];
          s[sp++] = (a == null || b == null) ? null : ops[i].test(Values.compare(a, b));
        }
        case IN -> {
          int k = arg[i];
          sp -= k;
          Object x = s[sp - 1];
          Boolean r = Boolean.FALSE;
          if (x == null) {
            r = null;
          } else {
            for (int j = 0; j < k; j++) {
              Object item = s[sp + j];
              if (item == null) {
                r = null;
              } else if (Values.compare(x, item) == 0) {
                r = Boolean.TRUE;
                break;
              }
            }
          }
          s[sp - 1] = r;
        }
        case IN_SET -> {
          Object x = s[sp - 1];
          if (x == null) {
            s[sp - 1] = null;
          } else if (java.util.Arrays.binarySearch((Object[]) consts[i], x, Values::compare) >= 0) {
            s[sp - 1] = true;
          } else if (arg[i] == 1) {
            s[sp - 1] = null; // not found, but a NULL item: unknown
          } else {
            s[sp - 1] = false;
          }
        }
        case BETWEEN -> {
          Object hi = s[--sp];
          Object lo = s[--sp];
          Object x = s[sp - 1];
          Boolean ge = (x == null || lo == null) ? null : Values.compare(x, lo) >= 0;
          Boolean le = (x == null || hi == null) ? null : Values.compare(x, hi) <= 0;
          s[sp - 1] = and(ge, le);
        }
        case ISNULL -> s[sp - 1] = s[sp - 1] == null;
        case ISNOTNULL -> s[sp - 1] = s[sp - 1] != null;
        case AND -> {
          Object b = s[--sp];
          s[sp - 1] = and((Boolean) s[sp - 1], (Boolean) b);
        }
        case OR -> {
          Object b = s[--sp];
          s[sp - 1] = or((Boolean) s[sp - 1], (Boolean) b);
        }
        case NOT -> s[sp - 1] = s[sp - 1] == null ? null : !(Boolean) s[sp - 1];
        case ARITH -> {
          Object b = s[--sp];
          Object a = s[sp - 1];
          s[sp - 1] = (a == null || b == null) ? null : arithmetic(arith[i], a, b);
        }
        default -> throw new IllegalStateException("bad opcode " + code[i]);
      }
    }
    return s[0];
  }

  /** Exact arithmetic: longs while they fit, else decimals; long overflow is a rejection. */
  static Object arithmetic(Expr.ArithOp op, Object a, Object b) {
    if ((a instanceof Long || a instanceof Integer)
        && (b instanceof Long || b instanceof Integer)) {
      long x = ((Number) a).longValue();
      long y = ((Number) b).longValue();
      try {
        return switch (op) {
          case ADD -> Math.addExact(x, y);
          case SUB -> Math.subtractExact(x, y);
          case MUL -> Math.multiplyExact(x, y);
        };
      } catch (ArithmeticException e) {
        throw new ConstraintViolationException(
            "numeric overflow: " + x + " " + op.sql() + " " + y + " does not fit in BIGINT");
      }
    }
    java.math.BigDecimal x = Values.toDecimal(a);
    java.math.BigDecimal y = Values.toDecimal(b);
    return switch (op) {
      case ADD -> x.add(y);
      case SUB -> x.subtract(y);
      case MUL -> x.multiply(y);
    };
  }

  static Boolean and(Boolean a, Boolean b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return Boolean.FALSE;
    }
    return (a == null || b == null) ? null : Boolean.TRUE;
  }

  static Boolean or(Boolean a, Boolean b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return Boolean.TRUE;
    }
    return (a == null || b == null) ? null : Boolean.FALSE;
  }
}
