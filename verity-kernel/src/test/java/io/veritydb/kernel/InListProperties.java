package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Long IN lists of literals are compiled to a sorted set; the result is the SQL three-valued answer
 * a comparison with each item gives (TRUE if one equals, else unknown if one is NULL, else FALSE;
 * NULL on the left is unknown), also with NOT and for mixed number classes.
 */
class InListProperties {
  static final TableDef TABLE =
      new TableDef(
          1,
          "t",
          List.of(
              new ColumnDef("id", SqlType.BIGINT, true),
              new ColumnDef("amount", SqlType.decimal(10, 2), false),
              new ColumnDef("name", SqlType.TEXT, false)),
          new int[] {0},
          List.of(),
          1);

  private static Object value(SplittableRandom r, int column) {
    return switch (column) {
      case 0 ->
          r.nextInt(5) == 0 ? (Object) r.nextInt(-20, 20) : (Object) (long) r.nextInt(-20, 20);
      case 1 -> BigDecimal.valueOf(r.nextInt(-40, 40), r.nextInt(3));
      default -> new String[] {"a", "b", "ab", "", "ba", "\u00e9", "z"}[r.nextInt(7)];
    };
  }

  /** The reference: compare with every item in turn. */
  private static Boolean reference(Object x, List<Object> items) {
    if (x == null) {
      return null;
    }
    Boolean r = Boolean.FALSE;
    for (Object item : items) {
      if (item == null) {
        r = null;
      } else if (Values.compare(x, item) == 0) {
        return Boolean.TRUE;
      }
    }
    return r;
  }

  @Property(tries = 1000)
  void longInListsAnswerAsComparingEachItem(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int column = r.nextInt(3);
    int k = 1 + r.nextInt(3 * CompiledExpr.IN_SET_MIN);
    List<Object> items = new ArrayList<>();
    List<Expr> exprs = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      Object v = r.nextInt(15) == 0 ? null : value(r, column);
      items.add(v);
      exprs.add(new Expr.Literal(v));
    }
    boolean negated = r.nextBoolean();
    String name = TABLE.column(column).name();
    Expr in = new Expr.InList(new Expr.Column(name), exprs);
    CompiledExpr compiled =
        CompiledExpr.predicate(TABLE, negated ? new Expr.Not(in) : in, new Object[0]);
    // the values as binding converted them (Integer to Long...)
    List<Object> converted = new ArrayList<>();
    for (Object v : items) {
      converted.add(
          v == null ? null : Values.forComparison(v, TABLE.column(column).type(), "item"));
    }
    for (int i = 0; i < 20; i++) {
      Object x = r.nextInt(10) == 0 ? null : value(r, column);
      Object stored = x == null ? null : Values.forColumn(x, TABLE.column(column), "t");
      Object[] row = new Object[3];
      row[column] = stored;
      Boolean want = reference(stored, converted);
      if (negated && want != null) {
        want = !want;
      }
      assertEquals(want, compiled.eval(row), "seed=" + seed + " x=" + x + " items=" + items);
    }
  }
}
