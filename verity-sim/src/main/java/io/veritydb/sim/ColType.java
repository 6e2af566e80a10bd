package io.veritydb.sim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

/**
 * The column types the workload uses, their SQL spelling, the small value domains it draws from
 * (small on purpose: duplicates, ties and NULLs must be frequent), values at the edge of what a
 * column holds, values of the right type that a column cannot hold, and SQL literals.
 */
enum ColType {
  BIGINT("BIGINT"),
  INT("INT"),
  VARCHAR("VARCHAR(" + ColType.VARCHAR_LENGTH + ")"),
  BOOLEAN("BOOLEAN"),
  DECIMAL("DECIMAL(" + ColType.PRECISION + "," + ColType.SCALE + ")");

  static final List<ColType> ALL = List.of(values());

  /** The length of every VARCHAR column, in characters (code points). */
  static final int VARCHAR_LENGTH = 8;

  /** The precision and scale of every DECIMAL column. */
  static final int PRECISION = 5;

  static final int SCALE = 2;

  private static final String EMOJI = "\uD83D\uDE00";

  private static final String[] TEXTS = {"", "a", "b", "ab", "ba", "zz"};

  private static final BigDecimal[] DECIMALS = {
    new BigDecimal("-1.50"),
    new BigDecimal("0.00"),
    new BigDecimal("0.25"),
    new BigDecimal("1.50"),
    new BigDecimal("2.00")
  };

  /** Text as a user types it: a literal with two statements or a parameter (not UTF-16). */
  static final String UNPAIRED_SURROGATE = "a\uD800b";

  final String sql;

  ColType(String sql) {
    this.sql = sql;
  }

  /**
   * A non-null value of this type, as the engine returns it (Long, Integer, String, Boolean,
   * BigDecimal of scale {@link #SCALE}).
   */
  Object value(Random r) {
    return switch (this) {
      case BIGINT -> (long) (r.nextInt(9) - 4);
      case INT -> r.nextInt(7) - 3;
      case VARCHAR -> TEXTS[r.nextInt(TEXTS.length)];
      case BOOLEAN -> r.nextBoolean();
      case DECIMAL -> DECIMALS[r.nextInt(DECIMALS.length)];
    };
  }

  /** A value or, one time in five, NULL. */
  Object nullable(Random r) {
    return r.nextInt(5) == 0 ? null : value(r);
  }

  /** A primary key component: wider domains for BIGINT so that not every insert collides. */
  Object keyValue(Random r) {
    return switch (this) {
      case BIGINT -> (long) r.nextInt(40);
      case INT -> r.nextInt(6);
      default -> value(r);
    };
  }

  /**
   * A value the column holds, at the edge of what it holds, or given in another form the column
   * converts (a Long for INT, a DECIMAL with fewer or more fraction digits than its scale, all
   * zeros): {@link #check} says what the engine stores.
   */
  Object edge(Random r) {
    return switch (this) {
      case BIGINT -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      case INT ->
          switch (r.nextInt(3)) {
            case 0 -> Integer.MAX_VALUE;
            case 1 -> Integer.MIN_VALUE;
            default -> (long) (r.nextInt(7) - 3);
          };
      case VARCHAR ->
          switch (r.nextInt(3)) {
            case 0 -> "abcdefgh";
            case 1 -> EMOJI.repeat(5); // 10 UTF-16 units, 5 characters
            default -> EMOJI.repeat(VARCHAR_LENGTH);
          };
      case BOOLEAN -> r.nextBoolean();
      case DECIMAL ->
          switch (r.nextInt(4)) {
            case 0 -> new BigDecimal(r.nextBoolean() ? "999.99" : "-999.99");
            case 1 -> new BigDecimal("1.5");
            case 2 -> new BigDecimal("2.000");
            default -> new BigDecimal(r.nextBoolean() ? "0" : "-0.000");
          };
    };
  }

  /**
   * A value of this type (as SQL and JDBC users give it) that a column of this type cannot hold, or
   * null for BOOLEAN, which holds every boolean.
   */
  Object unfit(Random r) {
    return switch (this) {
      case BIGINT ->
          new BigDecimal(r.nextBoolean() ? "9223372036854775808" : "-9223372036854775809");
      case INT ->
          switch (r.nextInt(3)) {
            case 0 -> 2_147_483_648L;
            case 1 -> -2_147_483_649L;
            default -> 3_000_000_000L;
          };
      case VARCHAR -> r.nextBoolean() ? "abcdefghi" : EMOJI.repeat(VARCHAR_LENGTH + 1);
      case BOOLEAN -> null;
      case DECIMAL ->
          switch (r.nextInt(3)) {
            case 0 -> new BigDecimal("1234.5");
            case 1 -> new BigDecimal("1.234");
            default -> new BigDecimal("-99999");
          };
    };
  }

  /** What a column does with a value given for it: stores it (converted) or rejects it. */
  record Checked(Object value, String violation) {
    boolean fits() {
      return violation == null;
    }
  }

  /**
   * The value a column of this type stores for {@code v}, or the message the kernel rejects it
   * with: the engine's conversion and checks (NOT NULL, INT and BIGINT range, VARCHAR length in
   * characters, DECIMAL scale and precision) for the values the workload gives.
   */
  Checked check(Object v, boolean notNull, String column, String table) {
    String where = "column " + column + " of table " + table;
    if (v == null) {
      return notNull ? new Checked(null, "NULL in NOT NULL " + where) : new Checked(null, null);
    }
    return switch (this) {
      case BIGINT -> {
        if (v instanceof BigDecimal d) {
          yield new Checked(
              null, "value " + d.toPlainString() + " is out of range for " + sql + " " + where);
        }
        yield new Checked(v, null);
      }
      case INT -> {
        long x = ((Number) v).longValue();
        if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
          yield new Checked(null, "value " + x + " is out of range for INT " + where);
        }
        yield new Checked((int) x, null);
      }
      case VARCHAR -> {
        String s = (String) v;
        int chars = s.codePointCount(0, s.length());
        if (chars > VARCHAR_LENGTH) {
          yield new Checked(
              null, "value too long for " + sql + " " + where + ": " + chars + " characters");
        }
        yield new Checked(s, null);
      }
      case BOOLEAN -> new Checked(v, null);
      case DECIMAL -> decimal((BigDecimal) v, where);
    };
  }

  private Checked decimal(BigDecimal d, String where) {
    if (d.signum() == 0) {
      return new Checked(BigDecimal.ZERO.setScale(SCALE), null);
    }
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() > SCALE) {
      return new Checked(
          null,
          "value "
              + d.toPlainString()
              + " has "
              + stripped.scale()
              + " digits after the point but "
              + sql
              + " "
              + where
              + " allows "
              + SCALE);
    }
    if (stripped.precision() - stripped.scale() > PRECISION - SCALE) {
      return new Checked(
          null,
          "value "
              + d.toPlainString()
              + " exceeds the precision of "
              + sql
              + " "
              + where
              + " (at most "
              + (PRECISION - SCALE)
              + " digits before the point)");
    }
    return new Checked(stripped.setScale(SCALE), null);
  }

  /** The SQL literal of {@code v} (strings quoted, no escaping: the domains hold no quote). */
  static String literal(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof String s) {
      return "'" + s + "'";
    } else if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }

  /** How the engine names a value in a message (Values.render for these domains). */
  static String render(Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (v instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(v);
  }

  /** Compares two non-null values of one column type. */
  @SuppressWarnings("unchecked")
  static int compare(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y);
    } else if (a instanceof Number x && b instanceof Number y) {
      return Long.compare(x.longValue(), y.longValue());
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  /** NULL first, then {@link #compare}: the engine's ascending order. */
  static int compareNullsFirst(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return compare(a, b);
  }
}
