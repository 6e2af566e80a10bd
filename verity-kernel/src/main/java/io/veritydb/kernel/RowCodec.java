package io.veritydb.kernel;

import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * The stored form of a row: compact, little-endian, versioned. Values are typed by the table's
 * columns, so they carry no tags.
 *
 * <pre>
 * [version u8 = 1][column count varint][null bitmap: ceil(count/8) bytes, bit i set = NULL]
 * then for each non-null column, in column order:
 *   BIGINT i64 LE | INT i32 LE | BOOLEAN u8 | TIMESTAMP seconds i64 LE, nanos i32 LE
 *   TEXT/VARCHAR/BYTES varint length, bytes (UTF-8 for text)
 *   DECIMAL scale i32 LE, varint length, unscaled two's complement big-endian
 * </pre>
 *
 * Decoding may skip columns the caller does not need, so unneeded strings are never built. Bytes
 * that are not a row of the table (truncated, trailing bytes, another version or column count, a
 * boolean byte other than 0 or 1, an empty decimal, a timestamp outside {@link Instant}'s range)
 * are a {@link CorruptionException} naming the table and the byte offset.
 */
public final class RowCodec {
  private RowCodec() {}

  static final int VERSION = 1;

  /** Encodes {@code values} (already converted to the columns' Java classes). */
  public static byte[] encode(TableDef table, Object[] values) {
    int n = table.columnCount();
    ByteWriter w = new ByteWriter(16 + n * 8);
    w.u8(VERSION).varint(n);
    int bitmapAt = w.size();
    for (int i = 0; i < (n + 7) / 8; i++) {
      w.u8(0);
    }
    int bits = 0;
    for (int i = 0; i < n; i++) {
      Object v = values[i];
      if (v == null) {
        bits |= 1 << (i & 7);
      } else {
        writeValue(w, v, table.column(i).type());
      }
      if ((i & 7) == 7 || i == n - 1) {
        w.setU8(bitmapAt + (i >> 3), bits);
        bits = 0;
      }
    }
    return w.toByteArray();
  }

  private static void writeValue(ByteWriter w, Object v, SqlType type) {
    switch (type.kind()) {
      case BIGINT -> w.i64((Long) v);
      case INT -> w.i32((Integer) v);
      case BOOLEAN -> w.u8((Boolean) v ? 1 : 0);
      case TIMESTAMP -> {
        Instant t = (Instant) v;
        w.i64(t.getEpochSecond()).i32(t.getNano());
      }
      case TEXT, VARCHAR -> w.string((String) v);
      case BYTES -> w.bytes((byte[]) v);
      case DECIMAL -> {
        BigDecimal d = (BigDecimal) v;
        w.i32(d.scale()).bytes(d.unscaledValue().toByteArray());
      }
    }
  }

  /** Decodes every column. */
  public static Object[] decode(TableDef table, byte[] row) {
    return decode(table, row, null);
  }

  /**
   * Decodes the columns where {@code needed[i]} is true (all when {@code needed} is null); the
   * others are left null.
   */
  public static Object[] decode(TableDef table, byte[] row, boolean[] needed) {
    Object[] out = new Object[table.columnCount()];
    decodeInto(table, row, needed, out);
    return out;
  }

  /**
   * Decodes the columns where {@code needed[i]} is true (all when null) into {@code out}, leaving
   * the other entries of {@code out} as they are: a row can be decoded in two steps (the columns a
   * filter reads, then the rest only for the rows it keeps).
   */
  static void decodeInto(TableDef table, byte[] row, boolean[] needed, Object[] out) {
    ByteReader r = new ByteReader(row, 0, row.length, "row of table ", table.name());
    int version = r.u8();
    if (version != VERSION) {
      throw new CorruptionException(
          "row of table " + table.name() + ": unknown row format version " + version);
    }
    int n = r.count(TableDef.MAX_COLUMNS);
    if (n != table.columnCount()) {
      throw new CorruptionException(
          "row of table "
              + table.name()
              + " has "
              + n
              + " columns, the catalog says "
              + table.columnCount());
    }
    int bitmapAt = r.position();
    r.skip((n + 7) / 8);
    for (int i = 0; i < n; i++) {
      if ((row[bitmapAt + (i >> 3)] & (1 << (i & 7))) != 0) {
        continue;
      }
      boolean want = needed == null || needed[i];
      Object v = readValue(r, table.column(i).type(), want);
      if (want) {
        out[i] = v;
      }
    }
    r.expectEnd();
  }

  private static Object readValue(ByteReader r, SqlType type, boolean want) {
    switch (type.kind()) {
      case BIGINT -> {
        long v = r.i64();
        return want ? v : null;
      }
      case INT -> {
        int v = r.i32();
        return want ? v : null;
      }
      case BOOLEAN -> {
        int b = r.u8();
        if (b > 1) {
          throw r.corrupt("bad boolean byte " + b);
        }
        return want ? b == 1 : null;
      }
      case TIMESTAMP -> {
        Instant t = r.instant();
        return want ? t : null;
      }
      case TEXT, VARCHAR -> {
        if (!want) {
          r.skip(r.varint());
          return null;
        }
        return r.string();
      }
      case BYTES -> {
        if (!want) {
          r.skip(r.varint());
          return null;
        }
        return r.bytes();
      }
      case DECIMAL -> {
        int scale = r.i32();
        if (!want) {
          r.skip(r.varint());
          return null;
        }
        byte[] unscaled = r.bytes();
        if (unscaled.length == 0) {
          throw r.corrupt("empty decimal");
        }
        return new BigDecimal(new BigInteger(unscaled), scale);
      }
    }
    throw new IllegalStateException("unreachable kind " + type.kind());
  }
}
