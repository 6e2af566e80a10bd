package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * A {@link PredicateTemplate} gives exactly what compiling the predicate afresh gives: the same
 * resolved tree, the same access path, the same row results, and the same error messages, for
 * random predicates and random (also ill-typed, NULL or missing) parameter values.
 */
class PredicateTemplateProperties {
  static final TenantId TENANT = TenantId.of(7);

  static final TableDef TABLE =
      new TableDef(
          3,
          "t",
          List.of(
              new ColumnDef("id", SqlType.BIGINT, true),
              new ColumnDef("k", SqlType.INT, true),
              new ColumnDef("name", SqlType.varchar(8), false),
              new ColumnDef("amount", SqlType.decimal(10, 2), false),
              new ColumnDef("flag", SqlType.BOOLEAN, false),
              new ColumnDef("ts", SqlType.TIMESTAMP, false)),
          new int[] {0, 1},
          List.of(
              new IndexDef("t_name", 1, List.of(2)), new IndexDef("t_k_amount", 2, List.of(1, 3))),
          3);

  static final List<Expr.ArithOp> ARITH =
      List.of(Expr.ArithOp.ADD, Expr.ArithOp.SUB, Expr.ArithOp.MUL);

  static final List<Expr.CmpOp> CMP =
      List.of(
          Expr.CmpOp.EQ, Expr.CmpOp.NE, Expr.CmpOp.LT, Expr.CmpOp.LE, Expr.CmpOp.GT, Expr.CmpOp.GE);

  static final String[] COLUMNS = {"id", "k", "name", "amount", "flag", "ts"};

  static final Object[] VALUES = {
    null,
    1L,
    2L,
    5,
    -3L,
    Long.MAX_VALUE,
    new BigDecimal("1.5"),
    new BigDecimal("2.00"),
    1.25d,
    "a",
    "abc",
    "2024-01-31T12:00:00Z",
    "not a time",
    true,
    false,
    Instant.ofEpochSecond(1_700_000_000L),
    new byte[] {1, 2},
  };

  @Property(tries = 3000)
  void templateBehavesAsCompilingAfresh(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] paramColumns = new int[4];
    for (int i = 0; i < 4; i++) {
      paramColumns[i] = r.nextInt(3) == 0 ? r.nextInt(COLUMNS.length) : r.nextInt(2);
    }
    Expr where = randomWhere(r, paramColumns);
    Object[] params = new Object[r.nextInt(8) == 0 ? r.nextInt(4) : 4];
    for (int i = 0; i < params.length; i++) {
      params[i] = valueFor(r, paramColumns[i]);
    }
    String context = "seed=" + seed + " where=" + Exprs.toSql(where);
    PredicateTemplate template = PredicateTemplate.of(TABLE, where);
    CompiledExpr fresh;
    try {
      fresh = CompiledExpr.predicate(TABLE, where, params);
    } catch (VerityException e) {
      VerityException again = null;
      try {
        template.bind(params);
      } catch (VerityException e2) {
        again = e2;
      }
      assertTrue(again != null, context + ": template accepted what binding rejects: " + e);
      assertEquals(e.getClass(), again.getClass(), context);
      assertEquals(e.getMessage(), again.getMessage(), context);
      Statistics.collect(template.isOpen() ? "open" : "compiled", "rejected");
      return;
    }
    CompiledExpr cached = template.bind(params);
    Statistics.collect(template.isOpen() ? "open" : "compiled", "bound");
    assertEquals(fresh.resolved(), cached.resolved(), context);
    AccessPath want = AccessPlanner.plan(TENANT, TABLE, fresh);
    AccessPath got = template.plan(TENANT, cached);
    assertEquals(want.kind(), got.kind(), context);
    Statistics.label("path").collect(got.kind());
    assertEquals(want.describe(), got.describe(), context);
    assertArrayEquals(want.pointKey(), got.pointKey(), context);
    assertEquals(want.ranges().size(), got.ranges().size(), context);
    for (int i = 0; i < 5; i++) {
      Object[] row = randomRow(r);
      Object a;
      Object b;
      try {
        a = fresh.eval(row);
      } catch (VerityException e) {
        a = e.getMessage();
      }
      try {
        b = cached.eval(row);
      } catch (VerityException e) {
        b = e.getMessage();
      }
      assertEquals(a, b, context);
    }
  }

  @Test
  void shouldKeepColumnComparisonsOpenAndBindPointKeysWithoutThePlanner() {
    Expr where =
        new Expr.And(
            new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column("id"), new Expr.Param(0)),
            new Expr.Compare(Expr.CmpOp.EQ, new Expr.Param(1), new Expr.Column("k")));
    PredicateTemplate t = PredicateTemplate.of(TABLE, where);
    assertTrue(t.isOpen());
    CompiledExpr bound = t.bind(new Object[] {4, 9L});
    AccessPath path = t.plan(TENANT, bound);
    assertEquals(AccessPath.Kind.PK_POINT, path.kind());
    assertEquals("PK_POINT t (id = 4 AND k = 9)", path.describe());
  }

  @Test
  void shouldCompileAfreshWhenAParameterIsNotComparedWithAColumn() {
    Expr where =
        new Expr.Compare(
            Expr.CmpOp.EQ,
            new Expr.Arith(Expr.ArithOp.ADD, new Expr.Column("id"), new Expr.Param(0)),
            new Expr.Literal(3L));
    PredicateTemplate t = PredicateTemplate.of(TABLE, where);
    assertFalse(t.isOpen());
    CompiledExpr bound = t.bind(new Object[] {1L});
    assertEquals(true, bound.eval(new Object[] {2L, 1, null, null, null, null}));
  }

  private static Object value(SplittableRandom r) {
    return VALUES[r.nextInt(VALUES.length)];
  }

  /** Mostly a value that fits column {@code c}, sometimes anything. */
  private static Object valueFor(SplittableRandom r, int c) {
    if (r.nextInt(5) == 0) {
      return value(r);
    }
    return switch (c) {
      case 0 -> r.nextInt(6) == 0 ? (Object) 2 : (Object) (long) r.nextInt(-3, 6);
      case 1 -> r.nextInt(6) == 0 ? (Object) new BigDecimal("3.0") : (Object) r.nextInt(-3, 10);
      case 2 -> new String[] {"a", "abc", "b", "abcdefghij"}[r.nextInt(4)];
      case 3 -> BigDecimal.valueOf(r.nextInt(-300, 300), r.nextInt(4));
      case 4 -> r.nextBoolean();
      default ->
          r.nextBoolean()
              ? Instant.ofEpochSecond(1_700_000_000L + r.nextInt(-2, 3))
              : "2023-11-14T22:13:20Z";
    };
  }

  private static Object[] randomRow(SplittableRandom r) {
    return new Object[] {
      r.nextInt(4) == 0 ? null : (long) r.nextInt(-3, 6),
      r.nextInt(4) == 0 ? null : r.nextInt(-3, 10),
      r.nextInt(4) == 0 ? null : new String[] {"a", "abc", "b"}[r.nextInt(3)],
      r.nextInt(4) == 0 ? null : BigDecimal.valueOf(r.nextInt(-300, 300), 2),
      r.nextInt(4) == 0 ? null : r.nextBoolean(),
      r.nextInt(4) == 0 ? null : Instant.ofEpochSecond(1_700_000_000L + r.nextInt(-2, 3))
    };
  }

  private static Expr operand(SplittableRandom r, int c, int[] paramColumns) {
    int k = r.nextInt(10);
    if (k < 4) {
      // prefer a parameter whose values are generated for this column
      for (int i = 0; i < 4; i++) {
        int p = r.nextInt(4);
        if (paramColumns[p] == c || i == 3) {
          return new Expr.Param(p);
        }
      }
      return new Expr.Param(0);
    } else if (k < 8) {
      return new Expr.Literal(valueFor(r, c));
    } else if (k < 9) {
      return new Expr.Column(COLUMNS[r.nextInt(COLUMNS.length)]);
    }
    return new Expr.Arith(
        ARITH.get(r.nextInt(ARITH.size())),
        new Expr.Column(COLUMNS[r.nextInt(2)]),
        r.nextBoolean() ? new Expr.Param(r.nextInt(4)) : new Expr.Literal((long) r.nextInt(3)));
  }

  private static Expr condition(SplittableRandom r, int[] pc) {
    int c = r.nextInt(2) == 0 ? r.nextInt(2) : r.nextInt(COLUMNS.length);
    Expr col = new Expr.Column(COLUMNS[c]);
    int k = r.nextInt(10);
    if (k < 5) {
      Expr.CmpOp op = r.nextInt(3) == 0 ? CMP.get(r.nextInt(CMP.size())) : Expr.CmpOp.EQ;
      return r.nextInt(5) == 0
          ? new Expr.Compare(op, operand(r, c, pc), col)
          : new Expr.Compare(op, col, operand(r, c, pc));
    } else if (k < 7) {
      List<Expr> items = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        items.add(operand(r, c, pc));
      }
      return new Expr.InList(col, items);
    } else if (k < 8) {
      return new Expr.Between(col, operand(r, c, pc), operand(r, c, pc));
    } else if (k < 9) {
      return new Expr.IsNull(col, r.nextBoolean());
    }
    return new Expr.Not(new Expr.Compare(Expr.CmpOp.EQ, col, operand(r, c, pc)));
  }

  private static Expr randomWhere(SplittableRandom r, int[] pc) {
    if (r.nextInt(20) == 0) {
      return Expr.TRUE;
    }
    Expr e = condition(r, pc);
    if (r.nextInt(3) == 0) {
      // both primary key columns bound by equality: a point, unless a value cannot be a key
      e =
          new Expr.And(
              new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column("id"), operand(r, 0, pc)),
              new Expr.Compare(Expr.CmpOp.EQ, operand(r, 1, pc), new Expr.Column("k")));
    }
    int terms = r.nextInt(4);
    for (int i = 0; i < terms; i++) {
      e = r.nextInt(6) == 0 ? new Expr.Or(e, condition(r, pc)) : new Expr.And(e, condition(r, pc));
    }
    return e;
  }
}
