package io.veritydb.crypto.note;

import io.veritydb.crypto.Ed25519;
import io.veritydb.types.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A C2SP signed-note Ed25519 verifier key ("vkey"):
 *
 * <pre>
 *   &lt;name&gt;+&lt;hex key ID&gt;+&lt;base64(0x01 || 32-byte Ed25519 public key)&gt;
 *   key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian uint32
 * </pre>
 *
 * For example {@code example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k}.
 * Parsing is strict: the key ID must be exactly eight lowercase hex digits and match the one
 * computed from the name and key, the base64 must be canonical, the type byte 0x01.
 */
public final class NoteVerifier {
  /** The signature type byte of Ed25519 note signatures. */
  public static final byte TYPE_ED25519 = 0x01;

  private final String name;
  private final int keyId;
  private final byte[] publicKey;

  private NoteVerifier(String name, int keyId, byte[] publicKey) {
    this.name = name;
    this.keyId = keyId;
    this.publicKey = publicKey;
  }

  /** The verifier of an Ed25519 public key under {@code name}. */
  public static NoteVerifier ed25519(String name, byte[] publicKey) {
    NoteText.checkKeyName(name);
    Checks.checkNotNull(publicKey, "publicKey");
    if (publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
      throw new NoteException("Ed25519 public key must be 32 bytes, was " + publicKey.length);
    }
    return new NoteVerifier(name, keyId(name, TYPE_ED25519, publicKey), publicKey.clone());
  }

  /** Parses a vkey string. */
  public static NoteVerifier parse(String vkey) {
    Checks.checkNotNull(vkey, "vkey");
    int p1 = vkey.indexOf('+');
    int p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
    if (p1 < 0 || p2 < 0) {
      throw new NoteException("verifier key must be <name>+<hex key ID>+<base64 key>: " + vkey);
    }
    String name = vkey.substring(0, p1);
    String hex = vkey.substring(p1 + 1, p2);
    NoteText.checkKeyName(name);
    if (hex.length() != 8 || !hex.chars().allMatch(NoteVerifier::isLowercaseHexDigit)) {
      throw new NoteException("verifier key ID must be 8 lowercase hex digits: \"" + hex + "\"");
    }
    int id = (int) Long.parseLong(hex, 16);
    byte[] key = NoteText.base64(vkey.substring(p2 + 1), "verifier key material");
    if (key.length == 0 || key[0] != TYPE_ED25519) {
      throw new NoteException(
          "verifier key type must be 0x01 (Ed25519)"
              + (key.length == 0 ? "" : ", was 0x" + String.format("%02x", key[0])));
    }
    if (key.length != 1 + Ed25519.PUBLIC_KEY_LENGTH) {
      throw new NoteException(
          "Ed25519 verifier key must hold 32 key bytes, held " + (key.length - 1));
    }
    NoteVerifier v = ed25519(name, Arrays.copyOfRange(key, 1, key.length));
    if (v.keyId != id) {
      throw new NoteException(
          "verifier key ID "
              + hex
              + " does not match the name and key (expected "
              + hexId(v.keyId)
              + ")");
    }
    return v;
  }

  /** 0-9 and a-f in ASCII: {@link Long#parseLong} also takes a sign and other scripts' digits. */
  private static boolean isLowercaseHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /** The key name. */
  public String name() {
    return name;
  }

  /** The 32-bit key ID. */
  public int keyId() {
    return keyId;
  }

  /** A copy of the 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The vkey string. */
  public String encode() {
    byte[] key = new byte[1 + publicKey.length];
    key[0] = TYPE_ED25519;
    System.arraycopy(publicKey, 0, key, 1, publicKey.length);
    return name + "+" + hexId(keyId) + "+" + NoteText.base64(key);
  }

  /** True when {@code signature} (64 bytes, without the key ID) signs {@code text}. */
  public boolean verify(byte[] text, byte[] signature) {
    return Ed25519.verify(publicKey, text, signature);
  }

  boolean matches(NoteSignature signature) {
    return signature.keyId() == keyId && signature.name().equals(name);
  }

  @Override
  public String toString() {
    return encode();
  }

  static String hexId(int id) {
    return HexFormat.of().toHexDigits(id);
  }

  /** SHA-256(name || 0x0A || type || key)[:4] as a big-endian uint32. */
  static int keyId(String name, byte type, byte[] key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(name.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0x0A);
      md.update(type);
      md.update(key);
      byte[] h = md.digest();
      return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
