package io.veritydb.kernel;

import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of SQL values, shared by the kernel's property tests. */
final class Gen {
  private Gen() {}

  static final SqlType[] TYPES = {
    SqlType.BIGINT,
    SqlType.INT,
    SqlType.TEXT,
    SqlType.varchar(20),
    SqlType.BOOLEAN,
    SqlType.decimal(38, 10),
    SqlType.TIMESTAMP,
    SqlType.BYTES
  };

  static Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\u0003')
        .withCharRange('a', 'e')
        .withCharRange('\u00e0', '\u00e2')
        .withCharRange('\uD7FE', '\uD7FF')
        .withCharRange('\uE000', '\uE001')
        .withCharRange('\uFFFE', '\uFFFF')
        .ofMaxLength(8);
  }

  static Arbitrary<BigDecimal> decimals() {
    return Combinators.combine(
            Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                .edgeCases(c -> c.add(BigInteger.ZERO)),
            Arbitraries.integers().between(-5, 20))
        .as(BigDecimal::new);
  }

  /** Non-null values of {@code type}'s Java class (INT values as Integer). */
  static Arbitrary<Object> values(SqlType type) {
    return switch (type.kind()) {
      case BIGINT -> Arbitraries.longs().map(x -> (Object) x);
      case INT -> Arbitraries.integers().map(x -> (Object) x);
      case TEXT, VARCHAR -> text().map(x -> (Object) x);
      case BOOLEAN -> Arbitraries.of(true, false).map(x -> (Object) x);
      case DECIMAL -> decimals().map(x -> (Object) x);
      case TIMESTAMP ->
          Combinators.combine(
                  Arbitraries.longs().between(-100_000_000_000L, 100_000_000_000L),
                  Arbitraries.integers().between(0, 999_999_999))
              .as((s, n) -> (Object) Instant.ofEpochSecond(s, n));
      case BYTES -> Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(x -> (Object) x);
    };
  }

  static Arbitrary<Object> nullableValues(SqlType type) {
    return values(type).injectNull(0.1);
  }
}
