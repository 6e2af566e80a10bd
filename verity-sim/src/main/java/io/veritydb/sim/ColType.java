package io.veritydb.sim;

import java.util.Random;

/**
 * The column types the workload uses, their SQL spelling, the small value domains it draws from
 * (small on purpose: duplicates, ties and NULLs must be frequent), and SQL literals.
 */
enum ColType {
  BIGINT("BIGINT"),
  INT("INT"),
  VARCHAR("VARCHAR(8)"),
  BOOLEAN("BOOLEAN");

  static final java.util.List<ColType> ALL = java.util.List.of(values());

  private static final String[] TEXTS = {"", "a", "b", "ab", "ba", "zz"};

  final String sql;

  ColType(String sql) {
    this.sql = sql;
  }

  /** A non-null value of this type, as the engine returns it (Long, Integer, String, Boolean). */
  Object value(Random r) {
    return switch (this) {
      case BIGINT -> (long) (r.nextInt(9) - 4);
      case INT -> r.nextInt(7) - 3;
      case VARCHAR -> TEXTS[r.nextInt(TEXTS.length)];
      case BOOLEAN -> r.nextBoolean();
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

  static String literal(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof String s) {
      return "'" + s + "'";
    } else if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    return v.toString();
  }

  /** Compares two non-null values of one column type. */
  @SuppressWarnings("unchecked")
  static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
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
