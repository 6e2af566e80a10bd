package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class KeyCodecProperties {

  private static int sign(int c) {
    return Integer.signum(c);
  }

  private static int sqlOrder(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return Values.compare(a, b);
  }

  @Provide
  Arbitrary<Tuple.Tuple3<SqlType, Object, Object>> pairs() {
    return Arbitraries.of(Gen.TYPES)
        .flatMap(
            t ->
                Combinators.combine(Gen.nullableValues(t), Gen.nullableValues(t))
                    .as((a, b) -> Tuple.of(t, a, b)));
  }

  @Property(tries = 3000)
  void encodedOrderIsValueOrder(@ForAll("pairs") Tuple.Tuple3<SqlType, Object, Object> p) {
    byte[] a = KeyCodec.encode(p.get2(), p.get1());
    byte[] b = KeyCodec.encode(p.get3(), p.get1());
    assertEquals(
        sign(sqlOrder(p.get2(), p.get3())),
        sign(Arrays.compareUnsigned(a, b)),
        () -> p.get1() + " " + Values.render(p.get2()) + " vs " + Values.render(p.get3()));
    assertEquals(a.length, KeyCodec.skip(a, 0, p.get1()), "skip must consume the component");
  }

  @Provide
  Arbitrary<Tuple.Tuple4<Object, Object, Object, Object>> composites() {
    return Combinators.combine(
            Gen.nullableValues(SqlType.TEXT),
            Gen.nullableValues(SqlType.decimal(38, 10)),
            Gen.nullableValues(SqlType.TEXT),
            Gen.nullableValues(SqlType.decimal(38, 10)))
        .as(Tuple::of);
  }

  @Property(tries = 2000)
  void compositeKeysSortByFirstThenSecondComponent(
      @ForAll("composites") Tuple.Tuple4<Object, Object, Object, Object> p) {
    SqlType d = SqlType.decimal(38, 10);
    ByteWriter wa = new ByteWriter(8);
    KeyCodec.encode(wa, p.get1(), SqlType.TEXT);
    KeyCodec.encode(wa, p.get2(), d);
    ByteWriter wb = new ByteWriter(8);
    KeyCodec.encode(wb, p.get3(), SqlType.TEXT);
    KeyCodec.encode(wb, p.get4(), d);
    int expected = sqlOrder(p.get1(), p.get3());
    if (expected == 0) {
      expected = sqlOrder(p.get2(), p.get4());
    }
    assertEquals(sign(expected), sign(Arrays.compareUnsigned(wa.toByteArray(), wb.toByteArray())));
  }

  @Test
  void decimalsOfDifferentScaleEncodeTheSame() {
    SqlType d = SqlType.decimal(10, 4);
    assertEquals(
        Arrays.toString(KeyCodec.encode(new BigDecimal("1.5"), d)),
        Arrays.toString(KeyCodec.encode(new BigDecimal("1.5000"), d)));
    assertEquals(
        -1,
        sign(
            Arrays.compareUnsigned(
                KeyCodec.encode(new BigDecimal("-0.001"), d),
                KeyCodec.encode(BigDecimal.ZERO, d))));
  }

  @Test
  void textWithZeroBytesSortsBeforeLongerText() {
    byte[] a = KeyCodec.encode("a", SqlType.TEXT);
    byte[] b = KeyCodec.encode("a\u0000", SqlType.TEXT);
    byte[] c = KeyCodec.encode("a\u0001", SqlType.TEXT);
    assertEquals(-1, sign(Arrays.compareUnsigned(a, b)));
    assertEquals(-1, sign(Arrays.compareUnsigned(b, c)));
  }
}
