package io.veritydb.io;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Inputs for the fuzz targets: byte-level mutations of valid encodings (which get past the magic
 * and version checks, so each mutation breaks something deeper), and plain random bytes. jqwik
 * generates the mutations, so a failure shrinks to the fewest and simplest of them. Shared by every
 * module's fuzz targets through verity-io's test-jar.
 */
public final class Mutations {
  private Mutations() {}

  /** What one mutation does. */
  public enum Kind {
    FLIP_BIT,
    SET_BYTE,
    TRUNCATE,
    EXTEND,
    INSERT,
    DELETE,
    COPY,
    PUT16,
    PUT32,
    PUT64,
    INSERT_TOKEN,
    REPLACE_TOKEN
  }

  /** Values that break length and count fields: signs, widths, powers of two. */
  private static final long[] INTERESTING = {
    0,
    1,
    -1,
    2,
    7,
    8,
    0x7F,
    0x80,
    0xFF,
    0x100,
    0x7FFF,
    0x8000,
    0xFFFF,
    0x10000,
    0xFFFFFF,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    0xFFFFFFFFL,
    Long.MAX_VALUE,
    Long.MIN_VALUE
  };

  /**
   * One mutation at {@code at} (taken modulo the length it applies to); {@code value} is the bit,
   * the byte, the field value, the byte count or the token, as the kind needs. Tokens are the
   * format's own words (a separator, a keyword), which random bytes rarely spell.
   */
  public record Step(Kind kind, int at, long value) {
    byte[] apply(byte[] b, List<byte[]> tokens) {
      int n = b.length;
      if ((kind == Kind.INSERT_TOKEN || kind == Kind.REPLACE_TOKEN) && !tokens.isEmpty()) {
        byte[] token = tokens.get((int) Math.floorMod(value, (long) tokens.size()));
        if (kind == Kind.INSERT_TOKEN) {
          byte[] out = new byte[n + token.length];
          int where = at % (n + 1);
          System.arraycopy(b, 0, out, 0, where);
          System.arraycopy(token, 0, out, where, token.length);
          System.arraycopy(b, where, out, where + token.length, n - where);
          return out;
        }
        if (n == 0) {
          return b;
        }
        int where = at % n;
        byte[] out = new byte[n - 1 + token.length];
        System.arraycopy(b, 0, out, 0, where);
        System.arraycopy(token, 0, out, where, token.length);
        System.arraycopy(b, where + 1, out, where + token.length, n - where - 1);
        return out;
      }
      switch (kind) {
        case FLIP_BIT -> {
          if (n > 0) {
            b[at % n] ^= (byte) (1 << (value & 7));
          }
          return b;
        }
        case SET_BYTE, REPLACE_TOKEN -> {
          if (n > 0) {
            b[at % n] = (byte) value;
          }
          return b;
        }
        case TRUNCATE -> {
          return Arrays.copyOf(b, at % (n + 1));
        }
        case EXTEND -> {
          return insert(b, n, 1 + at % 64, value);
        }
        case INSERT, INSERT_TOKEN -> {
          return insert(b, at % (n + 1), 1 + (int) Math.floorMod(value, 8L), value);
        }
        case DELETE -> {
          if (n == 0) {
            return b;
          }
          int from = at % n;
          int count = Math.min(n - from, 1 + (int) Math.floorMod(value, 16L));
          byte[] out = new byte[n - count];
          System.arraycopy(b, 0, out, 0, from);
          System.arraycopy(b, from + count, out, from, n - from - count);
          return out;
        }
        case COPY -> {
          if (n == 0) {
            return b;
          }
          int from = at % n;
          int to = (int) Math.floorMod(value, (long) n);
          int count = Math.min(n - Math.max(from, to), 1 + (int) Math.floorMod(value >> 32, 64L));
          System.arraycopy(b, from, b, to, count);
          return b;
        }
        case PUT16 -> {
          return put(b, 2);
        }
        case PUT32 -> {
          return put(b, 4);
        }
        case PUT64 -> {
          return put(b, 8);
        }
      }
      throw new IllegalStateException("unreachable " + kind);
    }

    /** Writes {@code value} little-endian over {@code width} bytes. */
    private byte[] put(byte[] b, int width) {
      if (b.length < width) {
        return b;
      }
      int from = at % (b.length - width + 1);
      for (int i = 0; i < width; i++) {
        b[from + i] = (byte) (value >>> (8 * i));
      }
      return b;
    }

    /** {@code count} bytes of {@code fill} (little-endian, repeated) inserted at {@code where}. */
    private static byte[] insert(byte[] b, int where, int count, long fill) {
      byte[] out = new byte[b.length + count];
      System.arraycopy(b, 0, out, 0, where);
      for (int i = 0; i < count; i++) {
        out[where + i] = (byte) (fill >>> (8 * (i & 7)));
      }
      System.arraycopy(b, where, out, where + count, b.length - where);
      return out;
    }
  }

  public static Arbitrary<Step> steps() {
    Arbitrary<Long> values =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(Arrays.stream(INTERESTING).boxed().toList())),
            Tuple.of(1, Arbitraries.longs()));
    return Combinators.combine(
            Arbitraries.of(Kind.class), Arbitraries.integers().greaterOrEqual(0), values)
        .as(Step::new);
  }

  /** 1 to {@code maxSteps} mutations of one of the {@code valid} encodings. */
  public static Arbitrary<byte[]> mutants(
      Arbitrary<byte[]> valid, int maxSteps, List<byte[]> tokens) {
    return Combinators.combine(valid, steps().list().ofMinSize(1).ofMaxSize(maxSteps))
        .as((v, steps) -> apply(v, steps, tokens));
  }

  /** Mutants of {@code valid} mostly, random bytes of up to {@code maxRandom} sometimes. */
  public static Arbitrary<byte[]> inputs(Arbitrary<byte[]> valid, int maxSteps, int maxRandom) {
    return inputs(valid, maxSteps, maxRandom, List.of());
  }

  /** {@link #inputs(Arbitrary, int, int)}, inserting and overwriting {@code tokens} too. */
  public static Arbitrary<byte[]> inputs(
      Arbitrary<byte[]> valid, int maxSteps, int maxRandom, List<byte[]> tokens) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, mutants(valid, maxSteps, tokens)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(maxRandom)));
  }

  public static byte[] apply(byte[] valid, List<Step> steps, List<byte[]> tokens) {
    byte[] b = valid.clone();
    for (Step s : steps) {
      b = s.apply(b, tokens);
    }
    return b;
  }
}
