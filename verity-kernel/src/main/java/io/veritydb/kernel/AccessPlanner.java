package io.veritydb.kernel;

import io.veritydb.store.KeyRange;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks an {@link AccessPath} for a table and a resolved predicate (parameters bound). For the
 * primary key and every index it finds the longest prefix of key columns bound by {@code col =
 * value} conjuncts, then an IN list of values (read as one point range per value, in key order) or
 * at most one range ({@code <, <=, >, >=, BETWEEN}) on the next column. Preference: primary key
 * point, then the key with the most equalities, then IN lists, then ranges, primary key before
 * indexes on ties; otherwise a scan. The caller re-checks the whole predicate on each row.
 */
public final class AccessPlanner {
  private AccessPlanner() {}

  /** Plans over a predicate compiled by {@link CompiledExpr#predicate}. */
  public static AccessPath plan(TenantId tenant, TableDef table, CompiledExpr where) {
    return plan(tenant, table, where.resolved());
  }

  static AccessPath plan(TenantId tenant, TableDef table, Expr resolved) {
    AccessPath path = choose(tenant, table, resolved);
    if (tooLong(path)) {
      // A bound longer than any stored key: the store may refuse it, so scan and filter instead.
      return scan(tenant, table);
    }
    return path;
  }

  /**
   * The primary key point path for the key {@code values} (as {@link #keyValue} gives them, by key
   * column), or a scan when the key is longer than any stored key: what {@link #plan} returns for a
   * predicate binding every primary key column by equality.
   */
  static AccessPath planPoint(TenantId tenant, TableDef table, Object[] values) {
    AccessPath path = pointPath(tenant, table, values);
    return tooLong(path) ? scan(tenant, table) : path;
  }

  private static AccessPath pointPath(TenantId tenant, TableDef table, Object[] values) {
    ByteWriter w = Keyspace.rowKey(tenant, table.id(), 16);
    for (int i = 0; i < values.length; i++) {
      KeyCodec.encode(w, values[i], table.column(table.primaryKeyOrdinal(i)).type());
    }
    return AccessPath.point(table, w.toByteArray(), values);
  }

  private static boolean tooLong(AccessPath path) {
    if (path.pointKey() != null && path.pointKey().length > Kernel.MAX_KEY_BYTES) {
      return true;
    }
    for (KeyRange r : path.ranges()) {
      byte[] low = r.low();
      byte[] high = r.high();
      if ((low != null && low.length > Kernel.MAX_KEY_BYTES)
          || (high != null && high.length > Kernel.MAX_KEY_BYTES)) {
        return true;
      }
    }
    return false;
  }

  private static AccessPath scan(TenantId tenant, TableDef table) {
    return new AccessPath(
        AccessPath.Kind.SCAN,
        table,
        null,
        List.of(Keyspace.tableRows(tenant, table.id())),
        null,
        "",
        0);
  }

  private static AccessPath choose(TenantId tenant, TableDef table, Expr resolved) {
    List<Expr> conj = Exprs.conjuncts(resolved);
    AccessPath best = null;
    int bestScore = 0;
    int[] pk = table.primaryKey();
    List<Integer> pkCols = new ArrayList<>();
    for (int p : pk) {
      pkCols.add(p);
    }
    Candidate pkc = candidate(table, pkCols, conj);
    if (pkc.eq == pk.length) {
      return pointPath(tenant, table, pkc.eqValues.toArray());
    }
    if (pkc.score() > 0) {
      ByteWriter prefix = Keyspace.rowKey(tenant, table.id(), 16);
      best =
          new AccessPath(
              pkc.in != null ? AccessPath.Kind.PK_IN : AccessPath.Kind.PK_RANGE,
              table,
              null,
              pkc.ranges(prefix, table),
              null,
              pkc.detail(table),
              pkc.eq);
      bestScore = pkc.score() * 2 + 1;
    }
    for (IndexDef ix : table.indexes()) {
      Candidate c = candidate(table, ix.columns(), conj);
      if (c.score() * 2 > bestScore) {
        ByteWriter prefix = Keyspace.indexKey(tenant, table.id(), ix.id(), 16);
        AccessPath.Kind kind =
            c.eq == ix.columns().size()
                ? AccessPath.Kind.INDEX_POINT
                : c.in != null ? AccessPath.Kind.INDEX_IN : AccessPath.Kind.INDEX_RANGE;
        best =
            new AccessPath(kind, table, ix, c.ranges(prefix, table), null, c.detail(table), c.eq);
        bestScore = c.score() * 2;
      }
    }
    return best == null ? scan(tenant, table) : best;
  }

  /** What the conjuncts bind on one key's columns. */
  private static final class Candidate {
    final List<Integer> cols;
    int eq;
    final List<Object> eqValues = new ArrayList<>();
    Object low;
    boolean lowInclusive;
    Object high;
    boolean highInclusive;
    List<Object> in;

    Candidate(List<Integer> cols) {
      this.cols = cols;
    }

    int score() {
      return eq * 4 + (in != null ? 3 : (low != null ? 1 : 0) + (high != null ? 1 : 0));
    }

    List<KeyRange> ranges(ByteWriter prefixWriter, TableDef table) {
      for (int i = 0; i < eq; i++) {
        KeyCodec.encode(prefixWriter, eqValues.get(i), table.column(cols.get(i)).type());
      }
      byte[] prefix = prefixWriter.toByteArray();
      if (in == null) {
        return List.of(range(prefix, table));
      }
      SqlType type = table.column(cols.get(eq)).type();
      java.util.TreeSet<byte[]> keys = new java.util.TreeSet<>(java.util.Arrays::compareUnsigned);
      for (Object v : in) {
        keys.add(concat(prefix, KeyCodec.encode(v, type)));
      }
      List<KeyRange> out = new ArrayList<>(keys.size());
      for (byte[] k : keys) {
        out.add(KeyRange.prefix(k));
      }
      return out;
    }

    KeyRange range(byte[] prefix, TableDef table) {
      if (low == null && high == null) {
        return KeyRange.prefix(prefix);
      }
      SqlType type = table.column(cols.get(eq)).type();
      byte[] lowKey;
      if (low == null) {
        lowKey = concat(prefix, new byte[] {KeyCodec.VALUE_TAG});
      } else {
        byte[] at = concat(prefix, KeyCodec.encode(low, type));
        lowKey = lowInclusive ? at : KeyRange.successorOfPrefix(at);
      }
      byte[] highKey;
      if (high == null) {
        highKey = KeyRange.successorOfPrefix(prefix);
      } else {
        byte[] at = concat(prefix, KeyCodec.encode(high, type));
        highKey = highInclusive ? KeyRange.successorOfPrefix(at) : at;
      }
      return new KeyRange(lowKey, highKey);
    }

    String detail(TableDef table) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < eq; i++) {
        parts.add(table.column(cols.get(i)).name() + " = " + Values.render(eqValues.get(i)));
      }
      if (eq < cols.size()) {
        String name = table.column(cols.get(eq)).name();
        if (in != null) {
          List<String> items = new ArrayList<>();
          for (Object v : in) {
            items.add(Values.render(v));
          }
          parts.add(name + " IN (" + String.join(", ", items) + ")");
        }
        if (low != null) {
          parts.add(name + (lowInclusive ? " >= " : " > ") + Values.render(low));
        }
        if (high != null) {
          parts.add(name + (highInclusive ? " <= " : " < ") + Values.render(high));
        }
      }
      return String.join(" AND ", parts);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Candidate candidate(TableDef table, List<Integer> cols, List<Expr> conj) {
    Candidate c = new Candidate(cols);
    for (int col : cols) {
      Object v = equalityOn(table, col, conj);
      if (v == null) {
        break;
      }
      c.eq++;
      c.eqValues.add(v);
    }
    if (c.eq < cols.size()) {
      int col = cols.get(c.eq);
      String name = table.column(col).name();
      SqlType type = table.column(col).type();
      c.in = inListOn(name, type, conj);
      if (c.in != null) {
        return c;
      }
      for (Expr e : conj) {
        if (e instanceof Expr.Between b
            && b.operand() instanceof Expr.Column bc
            && bc.name().equals(name)) {
          Object lo = keyValue(b.low(), type);
          Object hi = keyValue(b.high(), type);
          if (lo != null && hi != null && c.low == null && c.high == null) {
            c.low = lo;
            c.lowInclusive = true;
            c.high = hi;
            c.highInclusive = true;
          }
        } else if (e instanceof Expr.Compare cmp && cmp.op() != Expr.CmpOp.EQ) {
          Expr.CmpOp op = cmp.op();
          Expr other;
          if (cmp.left() instanceof Expr.Column lc && lc.name().equals(name)) {
            other = cmp.right();
          } else if (cmp.right() instanceof Expr.Column rc && rc.name().equals(name)) {
            other = cmp.left();
            op = op.flip();
          } else {
            continue;
          }
          Object v = keyValue(other, type);
          if (v == null) {
            continue;
          }
          if ((op == Expr.CmpOp.GT || op == Expr.CmpOp.GE) && c.low == null) {
            c.low = v;
            c.lowInclusive = op == Expr.CmpOp.GE;
          } else if ((op == Expr.CmpOp.LT || op == Expr.CmpOp.LE) && c.high == null) {
            c.high = v;
            c.highInclusive = op == Expr.CmpOp.LE;
          }
        }
      }
    }
    return c;
  }

  /**
   * The most values an IN list may have to be read as separate points (a batch UPDATE of 1000 rows
   * by id is one IN list); longer lists scan with a filter.
   */
  static final int MAX_IN_POINTS = 4096;

  /** The values of a {@code col IN (literals...)} conjunct (NULLs dropped), or null. */
  private static List<Object> inListOn(String name, SqlType type, List<Expr> conj) {
    for (Expr e : conj) {
      if (e instanceof Expr.InList in
          && in.operand() instanceof Expr.Column c
          && c.name().equals(name)
          && in.items().size() <= MAX_IN_POINTS) {
        List<Object> values = new ArrayList<>();
        boolean usable = true;
        for (Expr item : in.items()) {
          if (item instanceof Expr.Literal l && l.value() == null) {
            continue;
          }
          Object v = keyValue(item, type);
          if (v == null) {
            usable = false;
            break;
          }
          values.add(v);
        }
        if (usable) {
          values.sort(Values::compare);
          List<Object> distinct = new ArrayList<>(values.size());
          for (Object v : values) {
            if (distinct.isEmpty() || Values.compare(distinct.get(distinct.size() - 1), v) != 0) {
              distinct.add(v);
            }
          }
          return distinct;
        }
      }
    }
    return null;
  }

  private static Object equalityOn(TableDef table, int col, List<Expr> conj) {
    String name = table.column(col).name();
    SqlType type = table.column(col).type();
    for (Expr e : conj) {
      if (e instanceof Expr.Compare cmp && cmp.op() == Expr.CmpOp.EQ) {
        Expr other = null;
        if (cmp.left() instanceof Expr.Column lc && lc.name().equals(name)) {
          other = cmp.right();
        } else if (cmp.right() instanceof Expr.Column rc && rc.name().equals(name)) {
          other = cmp.left();
        }
        Object v = other == null ? null : keyValue(other, type);
        if (v != null) {
          return v;
        }
      }
    }
    return null;
  }

  /**
   * The value of a literal as the column's key encoding needs it, or null when it is not a literal,
   * is NULL, or cannot be represented exactly (then the conjunct stays a filter only).
   */
  private static Object keyValue(Expr e, SqlType type) {
    return e instanceof Expr.Literal l ? keyValue(l.value(), type) : null;
  }

  /** {@link #keyValue(Expr, SqlType)} of a literal's value. */
  static Object keyValue(Object v, SqlType type) {
    if (v == null) {
      return null;
    }
    switch (type.kind()) {
      case BIGINT, INT -> {
        if (v instanceof Long || v instanceof Integer) {
          return v;
        }
        if (v instanceof BigDecimal d) {
          BigDecimal s = d.stripTrailingZeros();
          if (s.scale() <= 0 && s.precision() - s.scale() <= 18) {
            return s.longValueExact();
          }
        }
        return null;
      }
      case DECIMAL -> {
        // An absurd exponent (1E2000000000) cannot be encoded as a key; it stays a filter.
        BigDecimal d = v instanceof Number ? Values.toDecimal(v) : null;
        return d != null && Math.abs((long) d.precision() - d.scale()) < 1_000_000 ? v : null;
      }
      default -> {
        return Values.family(v) == Values.family(type) ? v : null;
      }
    }
  }
}
