package io.veritydb.kernel;

import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Order-preserving key encoding: for two values a, b of one column type, {@code
 * compareUnsigned(enc(a), enc(b))} has the sign of {@link Values#compare}, with NULL before every
 * value. Every component is self-delimiting, so a composite key (components concatenated) sorts by
 * its first component, then its second, and so on, and a component is a prefix-free unit a range
 * bound can be built from.
 *
 * <pre>
 * component := 0x00                       NULL
 *            | 0x01 body                  a value
 * BIGINT/INT : 8 bytes big-endian, sign bit flipped       (INT is widened to 64 bits)
 * BOOLEAN    : 1 byte, 0 or 1
 * TIMESTAMP  : epoch seconds 8 bytes BE sign-flipped, nanos 4 bytes BE
 * TEXT/VARCHAR, BYTES: bytes (UTF-8 for text) with 0x00 escaped as 0x00 0xFF, then 0x00 0x00
 * DECIMAL    : 0x01 for zero
 *            | 0x02 exp digits.. 0x00   positive: value = 0.d1d2..dn x 10^exp, trailing zeros
 *                                        stripped; exp 4 bytes BE sign-flipped; digit d as d+1
 *            | 0x00 ~exp ~digits.. 0xFF negative: the same bytes complemented
 * </pre>
 */
final class KeyCodec {
  private KeyCodec() {}

  static final int NULL_TAG = 0x00;
  static final int VALUE_TAG = 0x01;

  /** Appends the component for {@code value} (already of the column's Java class or Long). */
  static void encode(ByteWriter out, Object value, SqlType type) {
    if (value == null) {
      out.u8(NULL_TAG);
      return;
    }
    out.u8(VALUE_TAG);
    switch (type.kind()) {
      case BIGINT, INT -> bigEndian(out, ((Number) value).longValue() ^ Long.MIN_VALUE, 8);
      case BOOLEAN -> out.u8((Boolean) value ? 1 : 0);
      case TIMESTAMP -> {
        Instant t = (Instant) value;
        bigEndian(out, t.getEpochSecond() ^ Long.MIN_VALUE, 8);
        bigEndian(out, t.getNano(), 4);
      }
      case TEXT, VARCHAR -> escaped(out, ((String) value).getBytes(StandardCharsets.UTF_8));
      case BYTES -> escaped(out, (byte[]) value);
      case DECIMAL -> decimal(out, Values.toDecimal(value));
    }
  }

  private static void bigEndian(ByteWriter out, long v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.u8((int) (v >>> (8 * i)));
    }
  }

  private static void escaped(ByteWriter out, byte[] b) {
    for (byte x : b) {
      out.u8(x);
      if (x == 0) {
        out.u8(0xFF);
      }
    }
    out.u8(0).u8(0);
  }

  private static void decimal(ByteWriter out, BigDecimal d) {
    int sign = d.signum();
    if (sign == 0) {
      out.u8(0x01);
      return;
    }
    BigDecimal s = d.stripTrailingZeros();
    String digits = s.unscaledValue().abs().toString();
    long exp = (long) digits.length() - s.scale();
    Checks.checkState(exp >= Integer.MIN_VALUE && exp <= Integer.MAX_VALUE, "exponent", exp);
    int flip = sign > 0 ? 0 : 0xFF;
    out.u8(sign > 0 ? 0x02 : 0x00);
    long e = ((int) exp) ^ 0x80000000L;
    for (int i = 3; i >= 0; i--) {
      out.u8((int) ((e >>> (8 * i)) & 0xFF) ^ flip);
    }
    for (int i = 0; i < digits.length(); i++) {
      out.u8((digits.charAt(i) - '0' + 1) ^ flip);
    }
    out.u8(flip);
  }

  /** Returns the offset just after the component of {@code type} starting at {@code off}. */
  static int skip(byte[] key, int off, SqlType type) {
    int p = off;
    int tag = at(key, p++);
    if (tag == NULL_TAG) {
      return p;
    }
    if (tag != VALUE_TAG) {
      throw new CorruptionException("bad key component tag " + tag + " at byte " + off);
    }
    switch (type.kind()) {
      case BIGINT, INT -> p += 8;
      case BOOLEAN -> p += 1;
      case TIMESTAMP -> p += 12;
      case TEXT, VARCHAR, BYTES -> {
        while (true) {
          int b = at(key, p++);
          if (b == 0) {
            int next = at(key, p++);
            if (next == 0) {
              break;
            }
          }
        }
      }
      case DECIMAL -> {
        int sign = at(key, p++);
        if (sign != 0x01) {
          p += 4;
          int end = sign == 0x02 ? 0x00 : 0xFF;
          while (at(key, p++) != end) {
            // digits
          }
        }
      }
    }
    if (p > key.length) {
      throw new CorruptionException("key truncated at byte " + key.length);
    }
    return p;
  }

  private static int at(byte[] key, int p) {
    if (p >= key.length) {
      throw new CorruptionException("key truncated at byte " + p);
    }
    return key[p] & 0xFF;
  }

  /** The encoding of one value alone, for tests and range bounds. */
  static byte[] encode(Object value, SqlType type) {
    ByteWriter w = new ByteWriter(16);
    encode(w, value, type);
    return w.toByteArray();
  }
}
