package io.veritydb.types;

/**
 * Always-on assertions. Unlike Java's {@code assert} they cannot be switched off. Overloads take
 * primitive arguments so that a passing check allocates nothing; the message is only formatted when
 * the check fails. Messages use {@code key=value} pairs.
 */
public final class Checks {
  private Checks() {}

  /** Fails with {@link IllegalArgumentException}: a caller passed a value it must not. */
  public static void checkArgument(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public static void checkArgument(boolean ok, String key, long value) {
    if (!ok) {
      throw new IllegalArgumentException("illegal argument: " + key + "=" + value);
    }
  }

  public static void checkArgument(boolean ok, String key1, long value1, String key2, long value2) {
    if (!ok) {
      throw new IllegalArgumentException(
          "illegal arguments: " + key1 + "=" + value1 + " " + key2 + "=" + value2);
    }
  }

  /** Fails with {@link IllegalStateException}: an invariant of the program itself is broken. */
  public static void checkState(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException("invariant broken: " + message);
    }
  }

  public static void checkState(boolean ok, String key, long value) {
    if (!ok) {
      throw new IllegalStateException("invariant broken: " + key + "=" + value);
    }
  }

  public static void checkState(boolean ok, String key1, long value1, String key2, long value2) {
    if (!ok) {
      throw new IllegalStateException(
          "invariant broken: " + key1 + "=" + value1 + " " + key2 + "=" + value2);
    }
  }

  /**
   * Fails unless {@code array} is not null (else naming it) and holds {@code length} bytes from
   * {@code offset} (else naming both).
   */
  public static void checkSlice(byte[] array, String name, int offset, int length) {
    checkNotNull(array, name);
    checkArgument(
        offset >= 0 && length >= 0 && array.length - offset >= length,
        "offset",
        offset,
        "length",
        length);
  }

  /** Returns {@code value} when it is not null, else fails naming it. */
  public static <T> T checkNotNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
