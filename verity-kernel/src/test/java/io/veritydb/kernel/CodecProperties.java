package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CodecProperties {

  static TableDef allTypes() {
    List<ColumnDef> cols = new ArrayList<>();
    for (int i = 0; i < Gen.TYPES.length; i++) {
      cols.add(new ColumnDef("c" + i, Gen.TYPES[i], i == 0));
    }
    return new TableDef(7, "t", cols, new int[] {0}, List.of(), 1);
  }

  @Provide
  Arbitrary<Object[]> rows() {
    List<Arbitrary<Object>> cols = new ArrayList<>();
    for (int i = 0; i < Gen.TYPES.length; i++) {
      cols.add(i == 0 ? Gen.values(Gen.TYPES[i]) : Gen.nullableValues(Gen.TYPES[i]));
    }
    return Combinators.combine(cols).as(List::toArray);
  }

  @Property(tries = 500)
  void rowsRoundTrip(@ForAll("rows") Object[] row) {
    TableDef t = allTypes();
    Object[] back = RowCodec.decode(t, RowCodec.encode(t, row));
    for (int i = 0; i < row.length; i++) {
      if (row[i] == null) {
        assertEquals(null, back[i]);
      } else {
        assertEquals(0, Values.compare(row[i], back[i]));
      }
    }
  }

  /** Decoding some columns, then the others into the same array, equals decoding all at once. */
  @Property(tries = 300)
  void decodingInTwoStepsEqualsDecodingAtOnce(
      @ForAll("rows") Object[] row, @ForAll long firstMask, @ForAll long secondMask) {
    TableDef t = allTypes();
    byte[] bytes = RowCodec.encode(t, row);
    boolean[] first = new boolean[row.length];
    boolean[] second = new boolean[row.length];
    boolean[] both = new boolean[row.length];
    for (int i = 0; i < row.length; i++) {
      first[i] = (firstMask >>> i & 1) == 1;
      second[i] = !first[i] && (secondMask >>> i & 1) == 1;
      both[i] = first[i] || second[i];
    }
    Object[] stepwise = RowCodec.decode(t, bytes, first);
    RowCodec.decodeInto(t, bytes, second, stepwise);
    Object[] atOnce = RowCodec.decode(t, bytes, both);
    for (int i = 0; i < row.length; i++) {
      if (atOnce[i] == null) {
        assertEquals(null, stepwise[i]);
      } else {
        assertEquals(0, Values.compare(atOnce[i], stepwise[i]));
      }
    }
  }

  @Property(tries = 200)
  void partialDecodeSkipsUnneededColumns(@ForAll("rows") Object[] row) {
    TableDef t = allTypes();
    boolean[] needed = new boolean[row.length];
    needed[0] = true;
    Object[] back = RowCodec.decode(t, RowCodec.encode(t, row), needed);
    assertEquals(row[0], back[0]);
    for (int i = 1; i < back.length; i++) {
      assertEquals(null, back[i]);
    }
  }

  @Provide
  Arbitrary<Expr> exprs() {
    Arbitrary<Expr> leaf =
        Arbitraries.oneOf(
            Arbitraries.of(Gen.TYPES).flatMap(Gen::nullableValues).map(Expr.Literal::new),
            Arbitraries.integers().between(0, 5).map(Expr.Param::new),
            Arbitraries.of("a", "b", "c").map(Expr.Column::new));
    Arbitrary<Expr.CmpOp> ops = Arbitraries.of(Expr.CmpOp.class);
    return Arbitraries.recursive(
        () -> leaf,
        e ->
            Arbitraries.oneOf(
                Combinators.combine(ops, e, e).as(Expr.Compare::new),
                Combinators.combine(Arbitraries.of(Expr.ArithOp.class), e, e).as(Expr.Arith::new),
                Combinators.combine(e, e).as(Expr.And::new),
                Combinators.combine(e, e).as(Expr.Or::new),
                e.map(Expr.Not::new),
                Combinators.combine(e, Arbitraries.of(true, false)).as(Expr.IsNull::new),
                Combinators.combine(e, e, e).as(Expr.Between::new),
                Combinators.combine(e, e.list().ofMinSize(1).ofMaxSize(3)).as(Expr.InList::new)),
        0,
        4);
  }

  @Provide
  Arbitrary<Command> commands() {
    Arbitrary<String> names = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6);
    Arbitrary<ColumnDef> cols =
        Combinators.combine(names, Arbitraries.of(Gen.TYPES), Arbitraries.of(true, false))
            .as(ColumnDef::new);
    Arbitrary<Object[]> row =
        Arbitraries.of(Gen.TYPES).flatMap(Gen::nullableValues).list().ofSize(3).map(List::toArray);
    return Arbitraries.oneOf(
        Combinators.combine(names, cols.list().ofMaxSize(4), names.list().ofMaxSize(2))
            .as(Command.CreateTable::new),
        Combinators.combine(names, names, names.list().ofMaxSize(3)).as(Command.CreateIndex::new),
        Combinators.combine(names, names.list().ofSize(3), row.list().ofMaxSize(5))
            .as(Command.Insert::new),
        Combinators.combine(
                names,
                Combinators.combine(names, exprs()).as(Command.Assignment::new).list().ofMaxSize(3),
                exprs())
            .as(Command.Update::new),
        Combinators.combine(names, exprs()).as(Command.Delete::new),
        names.map(Command.Noop::new));
  }

  @Property(tries = 500)
  void commandsRoundTrip(@ForAll("commands") Command c) {
    byte[] bytes = CommandCodec.encode(c);
    Command back = CommandCodec.decode(bytes);
    assertEquals(c, back);
    assertArrayEquals(bytes, CommandCodec.encode(back));
  }

  @Test
  void truncatedCommandIsCorruption() {
    byte[] bytes =
        CommandCodec.encode(
            new Command.Insert("t", List.of("a"), List.<Object[]>of(new Object[] {"hello"})));
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 2);
    assertThrows(CorruptionException.class, () -> CommandCodec.decode(cut));
  }

  @Test
  void unknownVersionIsCorruption() {
    byte[] bytes = CommandCodec.encode(new Command.Noop("x"));
    bytes[0] = 9;
    assertThrows(CorruptionException.class, () -> CommandCodec.decode(bytes));
  }

  @Test
  void catalogEntryRoundTrips() {
    TableDef t =
        allTypes()
            .withIndex(new IndexDef("ix", 1, List.of(2, 3)))
            .withIndex(new IndexDef("iy", 2, List.of(5)));
    TableDef back = Catalog.decode(Catalog.encode(t));
    assertEquals(t.columns(), back.columns());
    assertEquals(t.indexes(), back.indexes());
    assertEquals(3, back.nextIndexId());
    assertEquals(SqlType.decimal(38, 10), back.column(5).type());
  }
}
