package io.veritydb.crypto;

import io.veritydb.types.KeyException;

/** Checks of raw key material (keys and nonces) handed in by a caller. */
final class KeyBytes {
  private KeyBytes() {}

  /**
   * Fails with a {@link KeyException} unless {@code key} is {@code length} bytes, naming it as
   * {@code what} ("Ed25519 public key must be 32 bytes, was 31 bytes").
   */
  static void checkLength(byte[] key, int length, String what) {
    if (key == null || key.length != length) {
      throw new KeyException(
          what
              + " must be "
              + length
              + " bytes, was "
              + (key == null ? "null" : key.length + " bytes"));
    }
  }
}
