package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.store.MemoryStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernel.TableMemo}: replay keeps the table looked up last and skips the catalog read; the
 * replies and writes must be those of a kernel without the memo, whatever the commands (DDL in
 * between, other tables and tenants, missing tables, rejections).
 */
class TableMemoTest {
  private static final TenantId T1 = TenantId.of(1);
  private static final TenantId T2 = TenantId.of(2);
  private static final String[] TABLES = {"a", "b", "missing"};

  @Test
  void shouldGiveTheSameRepliesAndWritesAsWithoutAMemo() {
    long seed = new SplittableRandom().nextLong();
    System.out.println("TableMemoTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    MemoryStore plain = new MemoryStore();
    MemoryStore memoized = new MemoryStore();
    Kernel withoutMemo = new Kernel();
    Kernel withMemo = new Kernel();
    Kernel.TableMemo memo = new Kernel.TableMemo();
    int applied = 0;
    for (int i = 0; i < 3000; i++) {
      TenantId tenant = random.nextInt(4) == 0 ? T2 : T1;
      Command c = command(random, i);
      LogPosition next = plain.appliedPosition().next();
      Outcome expected = withoutMemo.apply(plain.snapshot(), tenant, next, c);
      Outcome actual = withMemo.apply(memoized, tenant, next, c, memo);
      String where = "seed " + seed + ", command " + i + " " + c;
      assertEquals(expected.reply(), actual.reply(), where);
      assertSameWrites(expected.batch(), actual.batch(), where);
      plain.apply(next, expected.batch());
      memoized.apply(next, actual.batch());
      if (expected.reply() instanceof Reply.Applied) {
        applied++;
      }
    }
    assertTrue(applied > 1000, "most commands applied: " + applied);
  }

  private static Command command(SplittableRandom random, int i) {
    String table = TABLES[random.nextInt(TABLES.length)];
    int kind = random.nextInt(100);
    if (kind < 3) {
      return new Command.CreateTable(
          table,
          List.of(
              new ColumnDef("id", SqlType.BIGINT, false),
              new ColumnDef("ward", SqlType.INT, true),
              new ColumnDef("name", SqlType.varchar(12), true)),
          List.of("id"));
    } else if (kind < 5) {
      return new Command.CreateIndex(
          "ix" + i, table, List.of(random.nextBoolean() ? "ward" : "name"));
    } else if (kind < 80) {
      List<Object[]> rows = new ArrayList<>();
      int n = 1 + (random.nextInt(10) == 0 ? random.nextInt(40) : 0);
      for (int r = 0; r < n; r++) {
        long id = random.nextInt(2000);
        rows.add(new Object[] {id, random.nextInt(10), "n" + id});
      }
      return new Command.Insert(table, List.of("id", "ward", "name"), rows);
    } else if (kind < 90) {
      return new Command.Update(
          table,
          List.of(new Command.Assignment("ward", new Expr.Literal(random.nextInt(10)))),
          new Expr.Compare(
              Expr.CmpOp.EQ, new Expr.Column("id"), new Expr.Literal((long) random.nextInt(2000))));
    }
    return new Command.Delete(
        table,
        new Expr.Compare(
            Expr.CmpOp.EQ, new Expr.Column("ward"), new Expr.Literal((long) random.nextInt(10))));
  }

  private static void assertSameWrites(WriteBatch expected, WriteBatch actual, String where) {
    assertEquals(expected.size(), actual.size(), where);
    for (int i = 0; i < expected.size(); i++) {
      WriteBatch.Write e = expected.writes().get(i);
      WriteBatch.Write a = actual.writes().get(i);
      assertArrayEquals(e.key(), a.key(), where);
      assertEquals(e.isDelete(), a.isDelete(), where);
      if (!e.isDelete()) {
        assertArrayEquals(e.value(), a.value(), where);
      }
    }
  }
}
