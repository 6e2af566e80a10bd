package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * SQL values as plain Java objects: their comparison (the same order as their key encoding), their
 * family for type checking, and their conversion to a column's type with every constraint check.
 */
public final class Values {
  private Values() {}

  /** Families of mutually comparable values. */
  public enum Family {
    NUMBER,
    STRING,
    BOOLEAN,
    TIMESTAMP,
    BYTES
  }

  public static Family family(SqlType type) {
    return switch (type.kind()) {
      case BIGINT, INT, DECIMAL -> Family.NUMBER;
      case TEXT, VARCHAR -> Family.STRING;
      case BOOLEAN -> Family.BOOLEAN;
      case TIMESTAMP -> Family.TIMESTAMP;
      case BYTES -> Family.BYTES;
    };
  }

  /** The family of a non-null value, or null for null or an unsupported Java type. */
  public static Family family(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof BigDecimal
        || value instanceof Short
        || value instanceof Byte) {
      return Family.NUMBER;
    } else if (value instanceof String) {
      return Family.STRING;
    } else if (value instanceof Boolean) {
      return Family.BOOLEAN;
    } else if (value instanceof Instant) {
      return Family.TIMESTAMP;
    } else if (value instanceof byte[]) {
      return Family.BYTES;
    }
    return null;
  }

  /** Whether a Java value can be a SQL value at all. */
  public static boolean isSupported(Object value) {
    return value == null || family(value) != null;
  }

  /**
   * Total order of two non-null values of the same family: numbers by value whatever their class or
   * scale, strings by code point (= UTF-8 byte order), false before true, instants by time, bytes
   * unsigned.
   */
  public static int compare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof Integer x && b instanceof Integer y) {
      return Integer.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return compareStrings(x, y);
    }
    if (isIntegral(a) && isIntegral(b)) {
      return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
    if (a instanceof Number && b instanceof Number) {
      return toDecimal(a).compareTo(toDecimal(b));
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (a instanceof Instant x && b instanceof Instant y) {
      return x.compareTo(y);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    throw new BadRequestException(
        "cannot compare " + describe(a) + " with " + describe(b) + ": different types");
  }

  /** SQL equality of two values, null-safe (null equals null here; callers handle 3VL). */
  public static boolean same(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    return family(a) == family(b) && compare(a, b) == 0;
  }

  private static boolean isIntegral(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
  }

  static BigDecimal toDecimal(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    return BigDecimal.valueOf(((Number) v).longValue());
  }

  /** Compares by Unicode code point, which is the order of the UTF-8 bytes. */
  public static int compareStrings(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean sx = Character.isSurrogate(x);
        boolean sy = Character.isSurrogate(y);
        if (sx != sy) {
          return sx ? 1 : -1;
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /**
   * The index of the first surrogate in {@code s} that is not part of a pair (a high surrogate
   * followed by a low one), or -1 when {@code s} is valid UTF-16. Text is stored as UTF-8, which
   * has no encoding for such a surrogate (Java's encoder would write '?').
   */
  public static int unpairedSurrogate(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Refuses text that is not valid UTF-16 (see {@link #unpairedSurrogate}) with a {@link
   * BadRequestException} naming {@code context} (a column or parameter) and the index.
   */
  public static void requireUtf16(String s, String context) {
    int bad = unpairedSurrogate(s);
    if (bad >= 0) {
      throw new BadRequestException(
          "text for "
              + context
              + " is not valid UTF-16: unpaired surrogate at index "
              + bad
              + " (text is stored as UTF-8, which cannot hold it)");
    }
  }

  /** A short, user-facing rendering of a value for messages (strings quoted, bytes as hex). */
  public static String render(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof String s) {
      String cut = s.length() > 64 ? s.substring(0, 61) + "..." : s;
      return "'" + cut.replace("'", "''") + "'";
    } else if (v instanceof byte[] b) {
      return "X'" + hex(b, 32) + "'";
    } else if (v instanceof BigDecimal d) {
      // Plain digits for ordinary magnitudes; scientific notation never expands 1E999999999.
      long intDigits = (long) d.precision() - d.scale();
      return Math.abs(d.scale()) <= 64 && intDigits <= 64 ? d.toPlainString() : d.toString();
    } else if (v instanceof Instant i) {
      return "TIMESTAMP '" + i + "'";
    }
    return String.valueOf(v);
  }

  private static String hex(byte[] b, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, max); i++) {
      sb.append(Character.forDigit((b[i] >> 4) & 0xF, 16))
          .append(Character.forDigit(b[i] & 0xF, 16));
    }
    return b.length > max ? sb + "..." : sb.toString();
  }

  static String describe(Object v) {
    if (v == null) {
      return "NULL";
    }
    Family f = family(v);
    return (f == null ? v.getClass().getSimpleName() : f.name().toLowerCase(java.util.Locale.ROOT))
        + " "
        + render(v);
  }

  /**
   * Converts a value for comparison with a column of {@code type}: Short/Byte/Integer become Long,
   * a string compared with a TIMESTAMP becomes an Instant; a value of another family fails.
   */
  public static Object forComparison(Object v, SqlType type, String context) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      requireUtf16(s, context);
    }
    Family want = family(type);
    if (want == Family.TIMESTAMP && v instanceof String s) {
      return parseTimestamp(s, context);
    }
    if (want == Family.NUMBER && (v instanceof Double || v instanceof Float)) {
      return toDecimalExact(((Number) v).doubleValue(), context);
    }
    Family got = family(v);
    if (got != want) {
      throw new BadRequestException(
          "type mismatch: " + context + " expects " + type.sql() + ", got " + describe(v));
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return v;
  }

  /** Normalises a bare parameter or literal value: Integer/Short/Byte to Long. */
  public static Object normalize(Object v, String context) {
    if (v == null || v instanceof Long || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof String s) {
      requireUtf16(s, context);
      return s;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double || v instanceof Float) {
      return toDecimalExact(((Number) v).doubleValue(), context);
    }
    if (family(v) == null) {
      throw new BadRequestException(
          "unsupported value type "
              + v.getClass().getName()
              + " for "
              + context
              + " (use Long, Integer, String, Boolean, BigDecimal, Instant, byte[] or null)");
    }
    return v;
  }

  private static BigDecimal toDecimalExact(double d, String context) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new BadRequestException("type mismatch: " + context + " cannot be " + d);
    }
    return BigDecimal.valueOf(d);
  }

  static Instant parseTimestamp(String s, String context) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new BadRequestException(
            "type mismatch: "
                + context
                + " is TIMESTAMP but "
                + render(s)
                + " is not a timestamp (use 2024-01-31T12:00:00Z)",
            e2);
      }
    }
  }

  /**
   * Converts {@code v} to the Java class of {@code column}'s type, checking NOT NULL, INT range,
   * VARCHAR length and DECIMAL precision/scale. Wrong types fail with {@link BadRequestException},
   * values the column cannot hold with {@link ConstraintViolationException}.
   */
  public static Object forColumn(Object v, ColumnDef column, String table) {
    SqlType type = column.type();
    if (v instanceof String s && unpairedSurrogate(s) >= 0) {
      requireUtf16(s, "column " + column.name() + " of table " + table);
    }
    if (alreadyValid(v, type)) {
      return v;
    }
    String where = "column " + column.name() + " of table " + table;
    if (v == null) {
      if (column.notNull()) {
        throw new ConstraintViolationException("NULL in NOT NULL " + where);
      }
      return null;
    }
    if (type.kind() == SqlType.Kind.TIMESTAMP && v instanceof String s) {
      return parseTimestamp(s, where);
    }
    Object n = forComparison(v, type, where);
    switch (type.kind()) {
      case BIGINT -> {
        if (n instanceof BigDecimal d) {
          return integral(d, Long.MIN_VALUE, Long.MAX_VALUE, type, where);
        }
        return n;
      }
      case INT -> {
        long x =
            n instanceof BigDecimal d
                ? integral(d, Integer.MIN_VALUE, Integer.MAX_VALUE, type, where)
                : (Long) n;
        if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
          throw new ConstraintViolationException(
              "value " + x + " is out of range for INT " + where);
        }
        return (int) x;
      }
      case VARCHAR -> {
        String s = (String) n;
        if (s.length() > type.length()) {
          int cps = s.codePointCount(0, s.length());
          if (cps > type.length()) {
            throw new ConstraintViolationException(
                "value too long for " + type.sql() + " " + where + ": " + cps + " characters");
          }
        }
        return s;
      }
      case DECIMAL -> {
        return decimal(toDecimal(n), type, where);
      }
      default -> {
        return n;
      }
    }
  }

  /**
   * A value bound into a command for {@code column}: {@link #forColumn}'s conversion when the
   * column can hold the value; when it cannot (NULL in NOT NULL, too long, out of range, too
   * precise), the value as given, {@linkplain #normalize normalised}, so that the command reaches
   * the log and the kernel rejects it when applying it (with the same {@link
   * ConstraintViolationException} {@link #forColumn} gives), an audited rejection like a duplicate
   * key. A value of a type the column does not take fails here with {@link BadRequestException}: no
   * command can carry it.
   */
  public static Object forCommand(Object v, ColumnDef column, String table) {
    try {
      return forColumn(v, column, table);
    } catch (ConstraintViolationException e) {
      // forColumn has checked the value's type before its range: this value is one the kernel
      // converts and checks again, and rejects with this same message.
      return normalize(v, "column " + column.name() + " of table " + table);
    }
  }

  /** The common case, decided without allocating: a value already of the column's exact form. */
  private static boolean alreadyValid(Object v, SqlType type) {
    if (v == null) {
      return false;
    }
    return switch (type.kind()) {
      case BIGINT -> v instanceof Long;
      case INT -> v instanceof Integer;
      case TEXT -> v instanceof String;
      case VARCHAR -> v instanceof String s && s.length() <= type.length();
      case BOOLEAN -> v instanceof Boolean;
      case TIMESTAMP -> v instanceof Instant;
      case BYTES -> v instanceof byte[];
      case DECIMAL ->
          v instanceof BigDecimal d
              && d.scale() == type.scale()
              && d.precision() <= type.precision();
    };
  }

  private static long integral(BigDecimal d, long min, long max, SqlType type, String where) {
    if (d.signum() == 0) {
      return 0;
    }
    BigDecimal s = d.stripTrailingZeros();
    if (s.scale() > 0) {
      throw new BadRequestException(
          "type mismatch: " + where + " expects " + type.sql() + ", got " + render(d));
    }
    // Never expand a huge exponent (1E999999999) into digits: 19 digits is beyond every long.
    if ((long) s.precision() - s.scale() > 19) {
      throw new ConstraintViolationException(
          "value " + render(d) + " is out of range for " + type.sql() + " " + where);
    }
    BigInteger i = s.toBigIntegerExact();
    if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ConstraintViolationException(
          "value " + i + " is out of range for " + type.sql() + " " + where);
    }
    return i.longValue();
  }

  private static BigDecimal decimal(BigDecimal d, SqlType type, String where) {
    if (d.signum() == 0) {
      return BigDecimal.ZERO.setScale(type.scale());
    }
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() > type.scale()) {
      throw new ConstraintViolationException(
          "value "
              + render(d)
              + " has "
              + stripped.scale()
              + " digits after the point but "
              + type.sql()
              + " "
              + where
              + " allows "
              + type.scale());
    }
    // Digits before the point, checked before setScale so a huge exponent is never expanded.
    long integerDigits = (long) stripped.precision() - stripped.scale();
    if (integerDigits > type.precision() - type.scale()) {
      throw new ConstraintViolationException(
          "value "
              + render(d)
              + " exceeds the precision of "
              + type.sql()
              + " "
              + where
              + " (at most "
              + (type.precision() - type.scale())
              + " digits before the point)");
    }
    BigDecimal v = stripped.setScale(type.scale());
    Checks.checkState(v.precision() <= type.precision(), "precision", v.precision());
    return v;
  }
}
