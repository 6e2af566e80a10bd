package io.veritydb.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The text trace of a run, one event per line, and its SHA-256: two runs of one seed must produce
 * the same hash. Keeps at most {@link #MAX_LINES} lines for printing; the hash covers all.
 */
final class Trace {
  static final int MAX_LINES = 200_000;

  private final MessageDigest sha;
  private final List<String> lines = new ArrayList<>();
  private long count;

  Trace() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  void add(String line) {
    sha.update(line.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    count++;
    if (lines.size() < MAX_LINES) {
      lines.add(line);
    }
  }

  /** {@code text} with each unpaired surrogate written as {@code \\uXXXX}, so it prints. */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pairedHigh =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      boolean pairedLow =
          Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
      if (Character.isSurrogate(c) && !pairedHigh && !pairedLow) {
        b.append("\\u").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  long count() {
    return count;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** The hash of every line so far, as 16 hex digits (the first 8 bytes of SHA-256). */
  String hash() {
    try {
      MessageDigest copy = (MessageDigest) sha.clone();
      return HexFormat.of().formatHex(copy.digest(), 0, 8);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }
}
