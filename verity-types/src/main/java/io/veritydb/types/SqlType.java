package io.veritydb.types;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A column's SQL type. Values travel as plain Java objects: BIGINT as {@link Long}, INT as {@link
 * Integer}, TEXT and VARCHAR as {@link String}, BOOLEAN as {@link Boolean}, DECIMAL as {@link
 * BigDecimal}, TIMESTAMP as {@link Instant}, BYTES as {@code byte[]}, and NULL as {@code null}.
 *
 * @param kind the base type
 * @param length the maximum length in characters for VARCHAR, else 0
 * @param precision the total number of digits for DECIMAL, else 0
 * @param scale the digits after the point for DECIMAL, else 0
 */
public record SqlType(Kind kind, int length, int precision, int scale) {
  /** The largest DECIMAL precision accepted. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  /** The largest VARCHAR length accepted, in characters. */
  public static final int MAX_VARCHAR_LENGTH = 1 << 20;

  /** The base SQL types. */
  public enum Kind {
    BIGINT,
    INT,
    TEXT,
    VARCHAR,
    BOOLEAN,
    DECIMAL,
    TIMESTAMP,
    BYTES
  }

  public static final SqlType BIGINT = new SqlType(Kind.BIGINT, 0, 0, 0);
  public static final SqlType INT = new SqlType(Kind.INT, 0, 0, 0);
  public static final SqlType TEXT = new SqlType(Kind.TEXT, 0, 0, 0);
  public static final SqlType BOOLEAN = new SqlType(Kind.BOOLEAN, 0, 0, 0);
  public static final SqlType TIMESTAMP = new SqlType(Kind.TIMESTAMP, 0, 0, 0);
  public static final SqlType BYTES = new SqlType(Kind.BYTES, 0, 0, 0);

  public SqlType {
    Checks.checkNotNull(kind, "kind");
    switch (kind) {
      case VARCHAR -> {
        if (length < 1 || length > MAX_VARCHAR_LENGTH) {
          throw new BadRequestException(
              "VARCHAR length must be between 1 and " + MAX_VARCHAR_LENGTH + ", was " + length);
        }
        if (precision != 0 || scale != 0) {
          throw new BadRequestException("VARCHAR takes a length only");
        }
      }
      case DECIMAL -> {
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
          throw new BadRequestException(
              "DECIMAL precision must be between 1 and "
                  + MAX_DECIMAL_PRECISION
                  + ", was "
                  + precision);
        }
        if (scale < 0 || scale > precision) {
          throw new BadRequestException(
              "DECIMAL scale must be between 0 and the precision " + precision + ", was " + scale);
        }
        if (length != 0) {
          throw new BadRequestException("DECIMAL takes a precision and a scale only");
        }
      }
      default -> {
        if (length != 0 || precision != 0 || scale != 0) {
          throw new BadRequestException(kind + " takes no length, precision or scale");
        }
      }
    }
  }

  public static SqlType varchar(int length) {
    return new SqlType(Kind.VARCHAR, length, 0, 0);
  }

  public static SqlType decimal(int precision, int scale) {
    return new SqlType(Kind.DECIMAL, 0, precision, scale);
  }

  /** The Java class that carries values of this type. */
  public Class<?> javaClass() {
    return switch (kind) {
      case BIGINT -> Long.class;
      case INT -> Integer.class;
      case TEXT, VARCHAR -> String.class;
      case BOOLEAN -> Boolean.class;
      case DECIMAL -> BigDecimal.class;
      case TIMESTAMP -> Instant.class;
      case BYTES -> byte[].class;
    };
  }

  /** The type as written in SQL, for example {@code VARCHAR(64)} or {@code DECIMAL(10,2)}. */
  public String sql() {
    return switch (kind) {
      case VARCHAR -> "VARCHAR(" + length + ")";
      case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
      default -> kind.name();
    };
  }

  @Override
  public String toString() {
    return sql();
  }
}
