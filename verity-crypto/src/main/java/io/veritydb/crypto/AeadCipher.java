package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) authenticated encryption. A ciphertext is the encrypted bytes
 * followed by the 16-byte tag.
 *
 * <p><b>Implementation: the JDK's own ChaCha20-Poly1305 ({@code SunJCE}), not BouncyCastle.</b> It
 * is the same standard algorithm (RFC 8439), so its ciphertexts are byte-identical to what
 * BouncyCastle produced (the Wycheproof vectors and every earlier envelope still decrypt; the disk
 * format did not change). It was chosen for speed on the log's small payloads: BouncyCastle's
 * {@code ChaCha20Poly1305} regenerates a key-stream block and re-keys its MAC in the reset that
 * ends every {@code doFinal}, work that is thrown away when the next message re-initialises it with
 * a new nonce; on 130-byte payloads the JDK's cipher decrypts in about half the time (replay after
 * a crash decrypts every record: issue 6, W7). No cryptography is implemented here: this class
 * checks parameters and maps errors.
 *
 * <p>Parameters are checked before the cipher sees them: a key that is not 32 bytes, a nonce that
 * is not 12 bytes, or a ciphertext shorter than a tag is rejected with a {@link KeyException} that
 * says which, as is a ciphertext whose tag does not verify. Nothing is returned unless the whole
 * ciphertext authenticates (the JDK's decryption releases no plaintext before the tag verified).
 *
 * <p>The caller owns nonce uniqueness: a (key, nonce) pair must never encrypt two messages. {@link
 * EnvelopeCipher} does this for tenant data; see its nonce scheme.
 *
 * <p>One instance reuses two JDK ciphers (one per direction) and is not thread-safe; use one per
 * thread.
 */
public final class AeadCipher {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  /** The largest plaintext one call accepts (a sanity bound well below RFC 8439's 256 GiB). */
  public static final int MAX_PLAINTEXT_LENGTH = Integer.MAX_VALUE - 64;

  private static final String TRANSFORMATION = "ChaCha20-Poly1305";

  /**
   * Separate ciphers: the JDK refuses an encryption init with the (key, nonce) of the cipher's
   * previous init, whatever its direction. Sharing one cipher would let a decrypt of a forged
   * ciphertext (whose nonce equals the next counter nonce) make the next, legitimate encryption
   * fail. With a cipher per direction the guard fires only on a real reuse.
   */
  private final Cipher encryptCipher = newCipher();

  /**
   * Replaced when it refuses an init: Java 17's cipher also refuses a decryption init with the
   * (key, nonce) of its previous init, which is legitimate when decrypting (the same record read
   * twice); a fresh cipher has no previous init.
   */
  private Cipher decryptCipher = newCipher();

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
    byte[] out = new byte[length - TAG_LENGTH];
    RawKey secret = new RawKey(key);
    int written;
    try {
      IvParameterSpec iv = new IvParameterSpec(nonce);
      try {
        decryptCipher.init(Cipher.DECRYPT_MODE, secret, iv);
      } catch (InvalidKeyException sameKeyAndNonce) {
        // The key length was checked above, so this is the reuse guard (see decryptCipher).
        decryptCipher = newCipher();
        decryptCipher.init(Cipher.DECRYPT_MODE, secret, iv);
      }
      if (aad != null) {
        decryptCipher.updateAAD(aad);
      }
      if (aad2 != null) {
        decryptCipher.updateAAD(aad2);
      }
      written = decryptCipher.doFinal(in, offset, length, out, 0);
    } catch (AEADBadTagException e) {
      Arrays.fill(out, (byte) 0);
      throw new KeyException(
          "ChaCha20-Poly1305 authentication failed: wrong key, wrong nonce, wrong associated data"
              + " or altered ciphertext",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption cannot fail this way", e);
    } finally {
      secret.destroy();
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
    RawKey secret = new RawKey(key);
    int written;
    try {
      try {
        encryptCipher.init(Cipher.ENCRYPT_MODE, secret, new IvParameterSpec(nonce));
      } catch (InvalidKeyException e) {
        // The JDK remembers the last (key, nonce) of this cipher and refuses to reuse it.
        throw new KeyException(
            "ChaCha20-Poly1305 refused to encrypt twice under the same key and nonce", e);
      }
      if (aad != null) {
        encryptCipher.updateAAD(aad);
      }
      if (aad2 != null) {
        encryptCipher.updateAAD(aad2);
      }
      written = encryptCipher.doFinal(in, inOffset, length, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption cannot fail this way", e);
    } finally {
      secret.destroy();
    }
    Checks.checkState(written == length + TAG_LENGTH, "written", written, "length", length);
    return written;
  }

  private static void checkParameters(byte[] key, byte[] nonce) {
    KeyBytes.checkLength(key, KEY_LENGTH, "ChaCha20-Poly1305 key");
    KeyBytes.checkLength(nonce, NONCE_LENGTH, "ChaCha20-Poly1305 nonce");
  }

  /** The JDK's provider ({@code SunJCE}) when present, else whichever provider offers it. */
  private static Cipher newCipher() {
    try {
      Provider sun = Security.getProvider("SunJCE");
      return sun != null
          ? Cipher.getInstance(TRANSFORMATION, sun)
          : Cipher.getInstance(TRANSFORMATION);
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException(
          "this Java runtime offers no " + TRANSFORMATION + " cipher (Java 11+ always does)", e);
    }
  }

  /**
   * The key handed to the JDK: a private copy that {@link #destroy} wipes when the call ends
   * ({@code SecretKeySpec} cannot be wiped on Java 17). The cipher keeps its own copy until its
   * next init, as far as Java lets us control key copies at all.
   */
  private static final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private boolean destroyed;

    RawKey(byte[] key) {
      this.bytes = key.clone();
    }

    @Override
    public String getAlgorithm() {
      return "ChaCha20";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      Checks.checkState(!destroyed, "the key was already destroyed");
      return bytes.clone();
    }

    @Override
    public void destroy() {
      Arrays.fill(bytes, (byte) 0);
      destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
      return destroyed;
    }
  }
}
