package io.veritydb.kernel;

import io.veritydb.types.CorruptionException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote. Every length is checked against the bytes left before
 * anything is allocated; a short or malformed buffer fails with {@link CorruptionException} naming
 * what was being read.
 */
final class ByteReader {
  private static final int NANOS_PER_SECOND = 1_000_000_000;

  private final byte[] buf;
  private final String what;

  /** Appended to {@link #what} in messages (kept apart so that no message is built up front). */
  private final String whatSuffix;

  private int pos;
  private final int end;

  ByteReader(byte[] buf, String what) {
    this(buf, 0, buf.length, what);
  }

  ByteReader(byte[] buf, int offset, int end, String what) {
    this(buf, offset, end, what, "");
  }

  /** A reader whose messages name {@code what + whatSuffix}, e.g. "row of table " + the name. */
  ByteReader(byte[] buf, int offset, int end, String what, String whatSuffix) {
    this.buf = buf;
    this.pos = offset;
    this.end = end;
    this.what = what;
    this.whatSuffix = whatSuffix;
  }

  private String what() {
    return what + whatSuffix;
  }

  /** The offset of the next byte to read. */
  int position() {
    return pos;
  }

  /** A corruption error naming what is being read and the byte offset reached. */
  CorruptionException corrupt(String reason) {
    return new CorruptionException(what() + ": " + reason + " at byte " + pos);
  }

  /**
   * Reads the format version byte; one other than {@code expected} is a {@link CorruptionException}
   * ("what: unknown format version 7").
   */
  void version(int expected) {
    int version = u8();
    if (version != expected) {
      throw new CorruptionException(what() + ": unknown format version " + version);
    }
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new CorruptionException(
          what()
              + ": truncated at byte "
              + pos
              + " (needed "
              + n
              + " more, "
              + (end - pos)
              + " left)");
    }
  }

  int u8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int i32() {
    need(4);
    int v =
        (buf[pos] & 0xFF)
            | (buf[pos + 1] & 0xFF) << 8
            | (buf[pos + 2] & 0xFF) << 16
            | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  long i64() {
    need(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  /**
   * An instant written as seconds (i64) then nanoseconds (i32): the seconds within {@link
   * Instant}'s range and the nanoseconds in [0, 999,999,999], as {@link Instant} keeps them.
   */
  Instant instant() {
    long seconds = i64();
    int nanos = i32();
    if (seconds < Instant.MIN.getEpochSecond()
        || seconds > Instant.MAX.getEpochSecond()
        || nanos < 0
        || nanos >= NANOS_PER_SECOND) {
      throw corrupt("timestamp of " + seconds + " s and " + nanos + " ns is out of range");
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }

  int varint() {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = u8();
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (result < 0) {
          break;
        }
        return result;
      }
    }
    throw new CorruptionException(what() + ": bad length at byte " + pos);
  }

  byte[] bytes() {
    int n = varint();
    need(n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  String string() {
    int n = varint();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  void skip(int n) {
    need(n);
    pos += n;
  }

  /** Bounds a count read from the buffer before it sizes a collection. */
  int count(int max) {
    int n = varint();
    if (n > max || n > end - pos + 1) {
      throw new CorruptionException(what() + ": count " + n + " too large at byte " + pos);
    }
    return n;
  }

  boolean atEnd() {
    return pos == end;
  }

  void expectEnd() {
    if (pos != end) {
      throw new CorruptionException(what() + ": " + (end - pos) + " trailing bytes");
    }
  }
}
