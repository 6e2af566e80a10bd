package io.veritydb.kernel;

import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE predicate resolved against one table definition once, with its parameters left open, so
 * that executing a prepared statement again only converts the parameter values ({@link #bind}) and,
 * for a primary key point, encodes the key ({@link #plan}) instead of resolving, type-checking,
 * compiling and planning the whole expression each time. Immutable and shareable between threads.
 *
 * <p>The result is exactly what {@link CompiledExpr#predicate} and {@link AccessPlanner#plan} give
 * for the same table, predicate and values, errors included (same messages, same order). That holds
 * by construction: a predicate is kept open only when every parameter is compared directly with a
 * column ({@code col = ?}, {@code ? < col}, {@code col IN (?, ...)}, {@code col BETWEEN ? AND ?});
 * such a parameter is converted to the column's family or fails with the message binding gives, in
 * the order binding converts them, so the type check of the rest of the tree does not depend on the
 * values and is done once. Any other shape, or any error while building the template, makes {@link
 * #bind} compile from scratch every time (the old path, its errors).
 */
public final class PredicateTemplate {
  private final TableDef table;
  private final Expr where;

  /** One more than the highest parameter index in {@link #where}. */
  private final int paramCount;

  /** The resolved tree with open parameters, or null when the predicate cannot stay open. */
  private final Expr open;

  private final CompiledExpr program;

  /** The parameter conversions, in the order binding performs them. */
  private final int[] convParam;

  private final SqlType[] convType;
  private final String[] convNormalize;
  private final String[] convContext;

  /** The program instruction of each parameter, by parameter index. */
  private final int[] slots;

  /**
   * Per primary key column: where an equality on it may take its value from, in conjunct order
   * ({@code >= 0}: a parameter index; else {@code -1 - i}: {@link #pointLiterals}[i]); null when
   * some key column has no equality at all (the predicate is never a point).
   */
  private final int[][] pointSources;

  private final Object[] pointLiterals;

  private PredicateTemplate(TableDef table, Expr where, Builder b) {
    this.table = table;
    this.where = where;
    this.paramCount = b.paramCount;
    this.open = b.open;
    this.program = b.program;
    this.convParam = b.convParam.stream().mapToInt(Integer::intValue).toArray();
    this.convType = b.convType.toArray(new SqlType[0]);
    this.convNormalize = b.convNormalize.toArray(new String[0]);
    this.convContext = b.convContext.toArray(new String[0]);
    this.slots = b.slots;
    this.pointSources = b.pointSources;
    this.pointLiterals = b.pointLiterals.toArray();
  }

  /**
   * The template of {@code where} (a parsed WHERE, {@link Expr#TRUE} for none) on {@code table}.
   */
  public static PredicateTemplate of(TableDef table, Expr where) {
    Builder b = new Builder(table);
    b.build(where);
    return new PredicateTemplate(table, where, b);
  }

  public TableDef table() {
    return table;
  }

  /** Whether the predicate stays open (binding converts values only); false: compiled each time. */
  public boolean isOpen() {
    return open != null;
  }

  /**
   * The compiled predicate with {@code params} bound, as {@link CompiledExpr#predicate} gives it.
   */
  public CompiledExpr bind(Object[] params) {
    if (open == null || params.length < paramCount) {
      return CompiledExpr.predicate(table, where, params);
    }
    Object[] values = new Object[paramCount];
    Object[] consts = program.constants();
    for (int j = 0; j < convParam.length; j++) {
      int p = convParam[j];
      Object v =
          Values.forComparison(
              Values.normalize(params[p], convNormalize[j]), convType[j], convContext[j]);
      values[p] = v;
      consts[slots[p]] = v;
    }
    return new CompiledExpr(program, consts, open, values);
  }

  /** The access path for {@code bound} (from {@link #bind}), as {@link AccessPlanner#plan}. */
  public AccessPath plan(TenantId tenant, CompiledExpr bound) {
    Object[] values = bound.paramValues();
    if (pointSources == null || values == null) {
      return AccessPlanner.plan(tenant, table, bound);
    }
    Object[] key = new Object[pointSources.length];
    for (int i = 0; i < key.length; i++) {
      SqlType type = table.column(table.primaryKeyOrdinal(i)).type();
      for (int source : pointSources[i]) {
        Object v =
            source >= 0 ? AccessPlanner.keyValue(values[source], type) : pointLiterals[-1 - source];
        if (v != null) {
          key[i] = v;
          break;
        }
      }
      if (key[i] == null) {
        return AccessPlanner.plan(tenant, table, bound);
      }
    }
    return AccessPlanner.planPoint(tenant, table, key);
  }

  /** The analysis of one predicate. */
  private static final class Builder {
    final TableDef table;
    int paramCount;
    Expr open;
    CompiledExpr program;
    final List<Integer> convParam = new ArrayList<>();
    final List<SqlType> convType = new ArrayList<>();
    final List<String> convNormalize = new ArrayList<>();
    final List<String> convContext = new ArrayList<>();
    int[] slots;
    int[][] pointSources;
    final List<Object> pointLiterals = new ArrayList<>();

    Builder(TableDef table) {
      this.table = table;
    }

    void build(Expr where) {
      int params = 0;
      java.util.TreeSet<Integer> seen = new java.util.TreeSet<>();
      boolean repeated = false;
      for (Expr e : Exprs.postOrder(where)) {
        if (e instanceof Expr.Param p) {
          params++;
          paramCount = Math.max(paramCount, p.index() + 1);
          repeated |= !seen.add(p.index());
        }
      }
      if (repeated) {
        return; // one slot per parameter: a parameter used twice is bound the old way
      }
      Expr tree;
      try {
        tree = resolveOpen(where);
        if (convParam.size() != params) {
          return; // a parameter not compared with a column: its type check depends on its value
        }
        Expr nulled =
            Exprs.transform(tree, e -> e instanceof Expr.Param ? new Expr.Literal(null) : e);
        Values.Family f = CompiledExpr.familyOf(table, nulled);
        if (f != null && f != Values.Family.BOOLEAN) {
          return;
        }
        slots = new int[paramCount];
        program =
            new CompiledExpr(null, CompiledExpr.internal(table, tree), table.columnCount(), slots);
      } catch (VerityException e) {
        // Binding reports this error (in its own order) on every execution: keep the old path.
        program = null;
        return;
      }
      open = tree;
      pointSources = pointSources(tree);
    }

    /** What {@link CompiledExpr#bind} does before parameters are known, recording conversions. */
    private Expr resolveOpen(Expr where) {
      return CompiledExpr.resolve(
          table,
          where,
          new CompiledExpr.ParamRule() {
            @Override
            public void reached(Expr.Param p) {}

            @Override
            public Expr compared(Expr.Param p, Expr.Column col, SqlType type) {
              String name = "parameter ?" + (p.index() + 1);
              convParam.add(p.index());
              convType.add(type);
              convNormalize.add(name);
              convContext.add(name + " (column " + col.name() + ")");
              return p;
            }
          });
    }

    /** The planner's primary key equality candidates, as sources (see {@code pointSources}). */
    private int[][] pointSources(Expr tree) {
      List<Expr> conj = Exprs.conjuncts(tree);
      int[][] out = new int[table.primaryKeyLength()][];
      for (int i = 0; i < out.length; i++) {
        String name = table.column(table.primaryKeyOrdinal(i)).name();
        SqlType type = table.column(table.primaryKeyOrdinal(i)).type();
        List<Integer> sources = new ArrayList<>();
        for (Expr e : conj) {
          if (!(e instanceof Expr.Compare cmp) || cmp.op() != Expr.CmpOp.EQ) {
            continue;
          }
          Expr other = null;
          if (cmp.left() instanceof Expr.Column lc && lc.name().equals(name)) {
            other = cmp.right();
          } else if (cmp.right() instanceof Expr.Column rc && rc.name().equals(name)) {
            other = cmp.left();
          }
          if (other instanceof Expr.Param p) {
            sources.add(p.index());
          } else if (other instanceof Expr.Literal l) {
            Object v = AccessPlanner.keyValue(l.value(), type);
            if (v != null) {
              pointLiterals.add(v);
              sources.add(-pointLiterals.size());
            }
          }
        }
        if (sources.isEmpty()) {
          return null;
        }
        out[i] = sources.stream().mapToInt(Integer::intValue).toArray();
      }
      return out;
    }
  }
}
