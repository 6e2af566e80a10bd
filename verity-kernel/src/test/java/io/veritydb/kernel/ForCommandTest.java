package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.store.MemoryStore;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Values#forCommand}: what binding keeps in a command for the kernel to reject (a value its
 * column cannot hold) and what it refuses (a value of the wrong type), and that the kernel rejects
 * the kept value, after a trip through the log codec, with the message binding would have given.
 */
class ForCommandTest {
  private static final TenantId T = TenantId.of(1);
  private static final ColumnDef NAME = new ColumnDef("name", SqlType.varchar(3), true);
  private static final ColumnDef WARD = new ColumnDef("ward", SqlType.INT, false);
  private static final ColumnDef FEE = new ColumnDef("fee", SqlType.decimal(4, 2), false);

  private final MemoryStore store = new MemoryStore();
  private final Kernel kernel = new Kernel();

  private Reply apply(Command c) {
    Command logged = CommandCodec.decode(CommandCodec.encode(c));
    LogPosition next = store.appliedPosition().next();
    Outcome o = kernel.apply(store.snapshot(), T, next, logged);
    store.apply(next, o.batch());
    return o.reply();
  }

  private static String forColumnMessage(Object v, ColumnDef col) {
    return assertThrows(ConstraintViolationException.class, () -> Values.forColumn(v, col, "p"))
        .getMessage();
  }

  @Test
  void shouldKeepValuesTheColumnCannotHoldAndConvertTheRest() {
    assertNull(Values.forCommand(null, NAME, "p"));
    assertEquals("abcd", Values.forCommand("abcd", NAME, "p"));
    assertEquals(3_000_000_000L, Values.forCommand(3_000_000_000L, WARD, "p"));
    assertEquals(new BigDecimal("123.4"), Values.forCommand(new BigDecimal("123.4"), FEE, "p"));
    assertEquals(new BigDecimal("1.234"), Values.forCommand(1.234d, FEE, "p"));
    assertEquals(new BigDecimal("12.34"), Values.forCommand(new BigDecimal("12.34"), FEE, "p"));
    assertEquals(7, Values.forCommand(7L, WARD, "p"));
    assertEquals(new BigDecimal("1.50"), Values.forCommand(new BigDecimal("1.5"), FEE, "p"));
  }

  @Test
  void shouldRefuseValuesOfTheWrongType() {
    BadRequestException e =
        assertThrows(BadRequestException.class, () -> Values.forCommand("x", WARD, "p"));
    assertTrue(e.getMessage().contains("type mismatch"), e.getMessage());
    assertThrows(
        BadRequestException.class, () -> Values.forCommand(new BigDecimal("1.5"), WARD, "p"));
    assertThrows(BadRequestException.class, () -> Values.forCommand(5L, NAME, "p"));
    assertThrows(BadRequestException.class, () -> Values.forCommand(new Object(), NAME, "p"));
    assertThrows(BadRequestException.class, () -> Values.forCommand(Double.NaN, FEE, "p"));
  }

  @Test
  void shouldRejectTheKeptValueWhenApplyingWithTheSameMessage() {
    Reply created =
        apply(
            new Command.CreateTable(
                "p",
                List.of(new ColumnDef("id", SqlType.BIGINT, false), NAME, WARD, FEE),
                List.of("id")));
    assertInstanceOf(Reply.Applied.class, created);
    Object[][] bad = {
      {1L, null, 1, null},
      {1L, "abcd", 1, null},
      {1L, "a", 3_000_000_000L, null},
      {1L, "a", 1, new BigDecimal("123.4")},
      {1L, "a", 1, new BigDecimal("1.234")},
    };
    ColumnDef[] culprit = {NAME, NAME, WARD, FEE, FEE};
    int[] ordinal = {1, 1, 2, 3, 3};
    for (int i = 0; i < bad.length; i++) {
      Object[] row = bad[i].clone();
      for (int c = 1; c < row.length; c++) {
        row[c] = Values.forCommand(row[c], List.of(NAME, WARD, FEE).get(c - 1), "p");
      }
      List<Object[]> rows = new ArrayList<>();
      rows.add(new Object[] {2L, "ok", 2, null});
      rows.add(row);
      Reply r = apply(new Command.Insert("p", List.of("id", "name", "ward", "fee"), rows));
      Reply.Rejected rejected = assertInstanceOf(Reply.Rejected.class, r, r::toString);
      assertEquals(Reply.Reason.CONSTRAINT, rejected.reason());
      assertEquals(forColumnMessage(bad[i][ordinal[i]], culprit[i]), rejected.message());
    }
    // No row of a rejected batch was applied: row 2 is not a duplicate.
    List<Object[]> good = new ArrayList<>();
    good.add(new Object[] {2L, "ok", 2, null});
    assertEquals(
        new Reply.Applied(1),
        apply(new Command.Insert("p", List.of("id", "name", "ward", "fee"), good)));
  }

  @Test
  void shouldRejectALiteralSetValueTheColumnCannotHoldEvenWhenNoRowMatches() {
    apply(
        new Command.CreateTable(
            "p", List.of(new ColumnDef("id", SqlType.BIGINT, false), NAME), List.of("id")));
    Expr noRow = new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column("id"), new Expr.Literal(99L));
    Reply r =
        apply(
            new Command.Update(
                "p", List.of(new Command.Assignment("name", new Expr.Literal(null))), noRow));
    Reply.Rejected rejected = assertInstanceOf(Reply.Rejected.class, r, r::toString);
    assertEquals("NULL in NOT NULL column name of table p", rejected.message());
  }
}
