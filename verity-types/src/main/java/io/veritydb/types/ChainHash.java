package io.veritydb.types;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte BLAKE3 hash of the log's chain up to and including one record. Immutable: the bytes are
 * copied in and out.
 */
public final class ChainHash {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private ChainHash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}, which must be exactly {@value #LENGTH} long. */
  public static ChainHash of(byte[] bytes) {
    Checks.checkNotNull(bytes, "chain hash bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "chain hash must be " + LENGTH + " bytes, was " + bytes.length);
    }
    return new ChainHash(bytes.clone());
  }

  /** Copies {@value #LENGTH} bytes starting at {@code offset}. */
  public static ChainHash of(byte[] source, int offset) {
    Checks.checkArgument(
        offset >= 0 && offset + LENGTH <= source.length, "offset", offset, "length", source.length);
    return new ChainHash(Arrays.copyOfRange(source, offset, offset + LENGTH));
  }

  public static ChainHash fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the hash into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChainHash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
