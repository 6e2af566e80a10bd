package io.veritydb.crypto;

/**
 * A tenant ciphertext ("envelope"), little-endian, self-describing:
 *
 * <pre>
 *   0        1              5                                     17                      n+17   n+33
 *   +--------+--------------+-------------------------------------+-----------------------+------+
 *   | format | key version  | nonce: fixed (4) || counter u64 (8) | ciphertext (n bytes)  | tag  |
 *   |  0x01  | u32          |                                     |                       | (16) |
 *   +--------+--------------+-------------------------------------+-----------------------+------+
 * </pre>
 *
 * The AEAD associated data is {@code tenant id u64 LE || bytes [0, 17) || caller's aad}, so the
 * format byte, key version and nonce are authenticated and a ciphertext only opens for its tenant.
 */
final class EnvelopeLayout {
  static final byte FORMAT_V1 = 1;
  static final int FORMAT_OFFSET = 0;
  static final int VERSION_OFFSET = 1;
  static final int NONCE_OFFSET = 5;
  static final int FIXED_OFFSET = NONCE_OFFSET;
  static final int COUNTER_OFFSET = NONCE_OFFSET + 4;
  static final int HEADER = NONCE_OFFSET + AeadCipher.NONCE_LENGTH;
  static final int OVERHEAD = HEADER + AeadCipher.TAG_LENGTH;

  private EnvelopeLayout() {}

  static int getIntLe(byte[] b, int at) {
    return (b[at] & 0xFF)
        | (b[at + 1] & 0xFF) << 8
        | (b[at + 2] & 0xFF) << 16
        | (b[at + 3] & 0xFF) << 24;
  }

  static void putIntLe(byte[] b, int at, int value) {
    b[at] = (byte) value;
    b[at + 1] = (byte) (value >>> 8);
    b[at + 2] = (byte) (value >>> 16);
    b[at + 3] = (byte) (value >>> 24);
  }

  static long getLongLe(byte[] b, int at) {
    return (getIntLe(b, at) & 0xFFFF_FFFFL) | ((long) getIntLe(b, at + 4)) << 32;
  }

  static void putLongLe(byte[] b, int at, long value) {
    putIntLe(b, at, (int) value);
    putIntLe(b, at + 4, (int) (value >>> 32));
  }
}
