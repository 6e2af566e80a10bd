package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ChaCha20-Poly1305 (RFC 8439) authenticated encryption, on BouncyCastle. A ciphertext is the
 * encrypted bytes followed by the 16-byte tag.
 *
 * <p>Parameters are checked before BouncyCastle sees them: a key that is not 32 bytes, a nonce that
 * is not 12 bytes, or a ciphertext shorter than a tag is rejected with a {@link KeyException} that
 * says which, as is a ciphertext whose tag does not verify. Nothing is returned unless the whole
 * ciphertext authenticates.
 *
 * <p>The caller owns nonce uniqueness: a (key, nonce) pair must never encrypt two messages. {@link
 * EnvelopeCipher} does this for tenant data; see its nonce scheme.
 *
 * <p>One instance reuses two BouncyCastle engines (one per direction) and is not thread-safe; use
 * one per thread.
 */
public final class AeadCipher {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  /** The largest plaintext one call accepts (a sanity bound well below RFC 8439's 256 GiB). */
  public static final int MAX_PLAINTEXT_LENGTH = Integer.MAX_VALUE - 64;

  /**
   * Separate engines: BouncyCastle refuses an encryption init with the (key, nonce) of the engine's
   * previous init, whatever its direction. Sharing one engine would let a decrypt of a forged
   * ciphertext (whose nonce equals the next counter nonce) make the next, legitimate encryption
   * fail. With an engine per direction the guard fires only on a real reuse.
   */
  private final ChaCha20Poly1305 encryptEngine = new ChaCha20Poly1305();

  private final ChaCha20Poly1305 decryptEngine = new ChaCha20Poly1305();

  /** Encrypts {@code plaintext}, authenticating {@code aad} too; returns ciphertext || tag. */
  public byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    Checks.checkNotNull(plaintext, "plaintext");
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    encrypt(key, nonce, aad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /**
   * Encrypts {@code length} bytes of {@code in} from {@code inOffset} into {@code out} at {@code
   * outOffset} (which needs {@code length + }{@value #TAG_LENGTH} bytes); returns the bytes
   * written.
   */
  public int encrypt(
      byte[] key,
      byte[] nonce,
      byte[] aad,
      byte[] in,
      int inOffset,
      int length,
      byte[] out,
      int outOffset) {
    return encrypt(key, nonce, aad, null, in, inOffset, length, out, outOffset);
  }

  /**
   * Decrypts and authenticates ciphertext || tag; throws {@link KeyException} when the tag does not
   * verify (wrong key, wrong nonce, wrong associated data, or altered bytes).
   */
  public byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) {
    Checks.checkNotNull(ciphertextAndTag, "ciphertext");
    return decrypt(key, nonce, aad, null, ciphertextAndTag, 0, ciphertextAndTag.length);
  }

  /**
   * Decrypts {@code length} bytes (ciphertext || tag) of {@code in} from {@code offset}. The
   * associated data is {@code aad} followed by {@code aad2} (either may be null).
   */
  public byte[] decrypt(
      byte[] key, byte[] nonce, byte[] aad, byte[] aad2, byte[] in, int offset, int length) {
    checkParameters(key, nonce);
    if (length < TAG_LENGTH) {
      throw new KeyException(
          "ChaCha20-Poly1305 ciphertext must hold at least the "
              + TAG_LENGTH
              + "-byte tag, was "
              + length
              + " bytes");
    }
    Checks.checkArgument(
        offset >= 0 && in.length - offset >= length, "offset", offset, "length", length);
    decryptEngine.init(false, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce));
    if (aad != null) {
      decryptEngine.processAADBytes(aad, 0, aad.length);
    }
    if (aad2 != null) {
      decryptEngine.processAADBytes(aad2, 0, aad2.length);
    }
    byte[] out = new byte[length - TAG_LENGTH];
    int written = decryptEngine.processBytes(in, offset, length, out, 0);
    try {
      written += decryptEngine.doFinal(out, written);
    } catch (InvalidCipherTextException e) {
      decryptEngine.reset();
      java.util.Arrays.fill(out, (byte) 0);
      throw new KeyException(
          "ChaCha20-Poly1305 authentication failed: wrong key, wrong nonce, wrong associated data"
              + " or altered ciphertext",
          e);
    }
    Checks.checkState(written == out.length, "written", written, "expected", out.length);
    return out;
  }

  /** Encrypts with extra associated data {@code aad2} after {@code aad}, for envelope headers. */
  int encrypt(
      byte[] key,
      byte[] nonce,
      byte[] aad,
      byte[] aad2,
      byte[] in,
      int inOffset,
      int length,
      byte[] out,
      int outOffset) {
    checkParameters(key, nonce);
    Checks.checkArgument(
        length >= 0 && length <= MAX_PLAINTEXT_LENGTH && inOffset >= 0,
        "length",
        length,
        "inOffset",
        inOffset);
    Checks.checkArgument(
        outOffset >= 0 && out.length - outOffset >= length + TAG_LENGTH,
        "outOffset",
        outOffset,
        "outLength",
        out.length);
    try {
      encryptEngine.init(true, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce));
    } catch (IllegalArgumentException e) {
      // BouncyCastle remembers the last (key, nonce) of this engine and refuses to reuse it.
      throw new KeyException(
          "ChaCha20-Poly1305 refused to encrypt twice under the same key and nonce", e);
    }
    if (aad != null) {
      encryptEngine.processAADBytes(aad, 0, aad.length);
    }
    if (aad2 != null) {
      encryptEngine.processAADBytes(aad2, 0, aad2.length);
    }
    int written = encryptEngine.processBytes(in, inOffset, length, out, outOffset);
    try {
      written += encryptEngine.doFinal(out, outOffset + written);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption cannot fail this way", e);
    }
    Checks.checkState(written == length + TAG_LENGTH, "written", written, "length", length);
    return written;
  }

  private static void checkParameters(byte[] key, byte[] nonce) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new KeyException(
          "ChaCha20-Poly1305 key must be "
              + KEY_LENGTH
              + " bytes, was "
              + (key == null ? "null" : key.length + " bytes"));
    }
    if (nonce == null || nonce.length != NONCE_LENGTH) {
      throw new KeyException(
          "ChaCha20-Poly1305 nonce must be "
              + NONCE_LENGTH
              + " bytes, was "
              + (nonce == null ? "null" : nonce.length + " bytes"));
    }
  }
}
