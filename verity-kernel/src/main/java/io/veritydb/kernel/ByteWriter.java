package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer for the kernel's little-endian codecs (rows, commands, catalog entries). Not
 * thread-safe; bounded by {@link #MAX_SIZE}.
 */
final class ByteWriter {
  /** The largest encoding the kernel produces: one command or one row. */
  static final int MAX_SIZE = 64 << 20;

  private byte[] buf;
  private int size;

  ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    long need = (long) size + extra;
    if (need > MAX_SIZE) {
      throw new BadRequestException(
          "encoded command or row too large: more than " + MAX_SIZE + " bytes");
    }
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(need, (long) buf.length * 2)));
    }
  }

  ByteWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  ByteWriter i32(int v) {
    ensure(4);
    buf[size] = (byte) v;
    buf[size + 1] = (byte) (v >>> 8);
    buf[size + 2] = (byte) (v >>> 16);
    buf[size + 3] = (byte) (v >>> 24);
    size += 4;
    return this;
  }

  ByteWriter i64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size + i] = (byte) (v >>> (8 * i));
    }
    size += 8;
    return this;
  }

  /** Unsigned LEB128 of a non-negative int. */
  ByteWriter varint(int v) {
    int x = v;
    while ((x & ~0x7F) != 0) {
      u8((x & 0x7F) | 0x80);
      x >>>= 7;
    }
    return u8(x);
  }

  ByteWriter bytes(byte[] b) {
    varint(b.length);
    return raw(b, 0, b.length);
  }

  ByteWriter raw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  ByteWriter string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  int size() {
    return size;
  }

  void setU8(int offset, int v) {
    buf[offset] = (byte) v;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
