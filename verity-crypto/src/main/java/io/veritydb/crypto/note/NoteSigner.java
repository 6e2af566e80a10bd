package io.veritydb.crypto.note;

import io.veritydb.crypto.Ed25519;
import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.types.Checks;
import java.util.Arrays;
import java.util.Locale;

/**
 * Signs note text with an Ed25519 key under a key name (C2SP signed-note, signature type 0x01).
 * {@link #parse} also reads the signer-key string of golang.org/x/mod/sumdb/note, {@code
 * PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>}, so that keys made by that tool
 * can be used; VerityDB itself keeps keys in its key store.
 */
public final class NoteSigner {
  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private final Ed25519KeyPair keyPair;
  private final NoteVerifier verifier;

  private NoteSigner(Ed25519KeyPair keyPair, NoteVerifier verifier) {
    this.keyPair = keyPair;
    this.verifier = verifier;
  }

  /** A signer for {@code keyPair} under {@code name} (for a log: the checkpoint origin). */
  public static NoteSigner ed25519(String name, Ed25519KeyPair keyPair) {
    Checks.checkNotNull(keyPair, "keyPair");
    return new NoteSigner(keyPair, NoteVerifier.ed25519(name, keyPair.publicKey()));
  }

  /** Parses a sumdb/note signer key string. */
  public static NoteSigner parse(String skey) {
    Checks.checkNotNull(skey, "skey");
    if (!skey.startsWith(PRIVATE_PREFIX)) {
      throw new NoteException("signer key must start with PRIVATE+KEY+");
    }
    String rest = skey.substring(PRIVATE_PREFIX.length());
    int p1 = rest.indexOf('+');
    int p2 = p1 < 0 ? -1 : rest.indexOf('+', p1 + 1);
    if (p1 < 0 || p2 < 0) {
      throw new NoteException("signer key must be PRIVATE+KEY+<name>+<hex key ID>+<base64 key>");
    }
    String name = rest.substring(0, p1);
    String hex = rest.substring(p1 + 1, p2);
    byte[] key = NoteText.base64(rest.substring(p2 + 1), "signer key material");
    if (key.length != 1 + Ed25519.PRIVATE_KEY_LENGTH || key[0] != NoteVerifier.TYPE_ED25519) {
      throw new NoteException("signer key must be 0x01 followed by a 32-byte Ed25519 seed");
    }
    NoteSigner signer =
        ed25519(name, Ed25519KeyPair.fromPrivateKey(Arrays.copyOfRange(key, 1, key.length)));
    Arrays.fill(key, (byte) 0);
    if (!NoteVerifier.hexId(signer.keyId()).equals(hex.toLowerCase(Locale.ROOT))
        || hex.length() != 8) {
      throw new NoteException("signer key ID " + hex + " does not match the name and key");
    }
    return signer;
  }

  public String name() {
    return verifier.name();
  }

  public int keyId() {
    return verifier.keyId();
  }

  /** The verifier key of this signer, for {@code verity vkey}. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /**
   * The 64-byte Ed25519 signature of {@code text} (the whole note text, final newline included).
   */
  public byte[] sign(byte[] text) {
    return keyPair.sign(text);
  }

  @Override
  public String toString() {
    return "NoteSigner[" + verifier.encode() + "]";
  }
}
