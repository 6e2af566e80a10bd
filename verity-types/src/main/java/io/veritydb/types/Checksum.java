package io.veritydb.types;

/** A CRC32C checksum, held as the unsigned 32-bit value in the low bits of a long. */
public record Checksum(long value) {
  public Checksum {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("checksum must be an unsigned 32-bit value, was " + value);
    }
  }

  public static Checksum of(int crc) {
    return new Checksum(Integer.toUnsignedLong(crc));
  }

  public int intValue() {
    return (int) value;
  }

  @Override
  public String toString() {
    return String.format("crc32c:%08x", value);
  }
}
