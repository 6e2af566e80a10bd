package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import java.security.SecureRandom;

/**
 * Ed25519 signatures (RFC 8032, pure Ed25519 without context), on BouncyCastle's RFC 8032 code.
 *
 * <p>Keys are raw 32-byte encodings: the private key is the RFC 8032 seed, the public key the
 * encoded point A. Signatures are 64 bytes (R || S).
 *
 * <p>Verification is strict where it matters for a ledger: a signature that is not exactly 64
 * bytes, whose S is not below the group order L (malleability), or whose R or the public key does
 * not decode to a curve point is rejected; this is what the Wycheproof vectors check. Verification
 * returns {@code false} for every bad signature and never throws for untrusted signature bytes; a
 * public key of the wrong length is a caller error ({@link KeyException}).
 */
public final class Ed25519 {
  public static final int PUBLIC_KEY_LENGTH = 32;
  public static final int PRIVATE_KEY_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private Ed25519() {}

  /** A new key pair from {@code random} (pass a {@link SecureRandom}; tests pass a seeded one). */
  public static Ed25519KeyPair generate(SecureRandom random) {
    Checks.checkNotNull(random, "random");
    byte[] seed = new byte[PRIVATE_KEY_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePrivateKey(random, seed);
    return Ed25519KeyPair.fromPrivateKey(seed);
  }

  /** Signs {@code message} with a 32-byte private key; the public key is derived. */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    return Ed25519KeyPair.fromPrivateKey(privateKey).sign(message);
  }

  /** True when {@code signature} is a valid Ed25519 signature of {@code message} by the key. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    Checks.checkNotNull(message, "message");
    return verify(publicKey, message, 0, message.length, signature);
  }

  /** Verifies a signature of {@code length} bytes of {@code message} from {@code offset}. */
  public static boolean verify(
      byte[] publicKey, byte[] message, int offset, int length, byte[] signature) {
    checkPublicKey(publicKey);
    Checks.checkSlice(message, "message", offset, length);
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature, 0, publicKey, 0, message, offset, length);
  }

  static void checkPublicKey(byte[] publicKey) {
    KeyBytes.checkLength(publicKey, PUBLIC_KEY_LENGTH, "Ed25519 public key");
  }
}
