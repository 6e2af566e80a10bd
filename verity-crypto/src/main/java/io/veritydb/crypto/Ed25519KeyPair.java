package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import java.util.HexFormat;

/**
 * An Ed25519 private key (the 32-byte RFC 8032 seed) with its 32-byte public key. Immutable; the
 * byte accessors return copies. {@link #toString()} never shows the private key.
 */
public final class Ed25519KeyPair {
  private final byte[] privateKey;
  private final byte[] publicKey;

  private Ed25519KeyPair(byte[] privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** The key pair of a 32-byte private key (seed); the public key is derived from it. */
  public static Ed25519KeyPair fromPrivateKey(byte[] privateKey) {
    KeyBytes.checkLength(privateKey, Ed25519.PRIVATE_KEY_LENGTH, "Ed25519 private key");
    if (MasterKey.isAllZero(privateKey)) {
      throw new KeyException("the signing key is all zero bytes: that is no secret, refused");
    }
    byte[] secret = privateKey.clone();
    byte[] pub = new byte[Ed25519.PUBLIC_KEY_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(secret, 0, pub, 0);
    return new Ed25519KeyPair(secret, pub);
  }

  /**
   * The signing key kept in {@code file} (the master key file format: versioned, checksummed,
   * owner-only permissions), created with fresh random bytes when the file does not exist.
   */
  public static Ed25519KeyPair loadOrCreate(
      java.nio.file.Path file, java.security.SecureRandom random) {
    return fromPrivateKey(FileKeyProvider.openOrCreate(file, random).masterKey().secret());
  }

  /** The signing key kept in {@code file}; fails with a {@link KeyException} when it is missing. */
  public static Ed25519KeyPair load(java.nio.file.Path file) {
    return fromPrivateKey(FileKeyProvider.open(file).masterKey().secret());
  }

  /**
   * The signing key kept in {@code file} (the master key file format, owner-only), created with 32
   * bytes from {@code random} when missing.
   */
  public static Ed25519KeyPair loadOrCreate(
      io.veritydb.io.FileIo io, java.nio.file.Path file, java.security.SecureRandom random) {
    return fromPrivateKey(FileKeyProvider.openOrCreate(io, file, random).masterKey().secret());
  }

  /** The signing key kept in {@code file}; fails with a {@link KeyException} when it is missing. */
  public static Ed25519KeyPair load(io.veritydb.io.FileIo io, java.nio.file.Path file) {
    return fromPrivateKey(FileKeyProvider.open(io, file).masterKey().secret());
  }

  /** A copy of the 32-byte private key (seed). */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** A copy of the 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 64-byte signature of {@code message}. */
  public byte[] sign(byte[] message) {
    Checks.checkNotNull(message, "message");
    return sign(message, 0, message.length);
  }

  /** The 64-byte signature of {@code length} bytes of {@code message} from {@code offset}. */
  public byte[] sign(byte[] message, int offset, int length) {
    Checks.checkSlice(message, "message", offset, length);
    byte[] signature = new byte[Ed25519.SIGNATURE_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        privateKey, 0, publicKey, 0, message, offset, length, signature, 0);
    return signature;
  }

  /** True when {@code signature} is this key's signature of {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    return Ed25519.verify(publicKey, message, signature);
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[public=" + HexFormat.of().formatHex(publicKey) + "]";
  }
}
