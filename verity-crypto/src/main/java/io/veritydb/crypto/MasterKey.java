package io.veritydb.crypto;

import io.veritydb.types.KeyException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key-encryption key (KEK): 32 secret bytes that wrap every tenant data key, with a public
 * 8-byte id so that a wrapped key can say which master key it needs.
 *
 * <p>The id is the first 8 bytes of BLAKE3 in derive_key mode with context {@value #ID_CONTEXT}
 * over the key: it identifies the key without revealing it. {@link #toString()} shows only the id.
 */
public final class MasterKey {
  public static final int LENGTH = 32;
  public static final int ID_LENGTH = 8;

  /** The BLAKE3 derive_key context of the key id; never change it. */
  public static final String ID_CONTEXT = "veritydb 2026-11-26 master key id v1";

  private final byte[] key;
  private final byte[] id;

  private MasterKey(byte[] key) {
    this.key = key;
    this.id = Arrays.copyOf(Blake3.deriveKey(ID_CONTEXT).hash(key, 0, LENGTH), ID_LENGTH);
  }

  /** A master key from 32 bytes (copied); 32 zero bytes are refused: that is no secret. */
  public static MasterKey of(byte[] key) {
    KeyBytes.checkLength(key, LENGTH, "master key");
    if (isAllZero(key)) {
      throw new KeyException("the master key is all zero bytes: that is no secret, refused");
    }
    return new MasterKey(key.clone());
  }

  /** Whether every byte of {@code bytes} is zero, in time independent of the content. */
  static boolean isAllZero(byte[] bytes) {
    int or = 0;
    for (byte b : bytes) {
      or |= b;
    }
    return or == 0;
  }

  /** The key id as 16 lowercase hex digits. */
  public String id() {
    return HexFormat.of().formatHex(id);
  }

  /** A copy of the 8-byte key id. */
  public byte[] idBytes() {
    return id.clone();
  }

  /** The secret key bytes, not copied: callers in this package must not modify or leak them. */
  byte[] secret() {
    return key;
  }

  boolean hasId(byte[] otherId) {
    return Arrays.equals(id, otherId);
  }

  @Override
  public String toString() {
    return "MasterKey[id=" + id() + "]";
  }
}
