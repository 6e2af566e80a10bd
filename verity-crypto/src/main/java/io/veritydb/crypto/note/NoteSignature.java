package io.veritydb.crypto.note;

import java.nio.ByteBuffer;

/** One signature line of a signed note: {@code — <name> base64(key ID || signature)}. */
public final class NoteSignature {
  private final String name;
  private final int keyId;
  private final byte[] signature;

  NoteSignature(String name, int keyId, byte[] signature) {
    this.name = name;
    this.keyId = keyId;
    this.signature = signature;
  }

  /** Parses one signature line (without its newline). */
  static NoteSignature parseLine(String line, int lineNumber) {
    String where = "signature line " + lineNumber;
    if (line.length() < 2 || line.charAt(0) != NoteText.EM_DASH || line.charAt(1) != ' ') {
      throw new NoteException(where + " must start with an em dash (U+2014) and a space");
    }
    String rest = line.substring(2);
    int space = rest.indexOf(' ');
    if (space < 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new NoteException(where + " must be \"— <key name> <base64 signature>\"");
    }
    String name = rest.substring(0, space);
    NoteText.checkKeyName(name);
    byte[] blob = NoteText.base64(rest.substring(space + 1), where);
    if (blob.length < 5) {
      throw new NoteException(where + " holds " + blob.length + " bytes, need a key ID and more");
    }
    ByteBuffer b = ByteBuffer.wrap(blob);
    int keyId = b.getInt();
    byte[] sig = new byte[blob.length - 4];
    b.get(sig);
    return new NoteSignature(name, keyId, sig);
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return keyId;
  }

  /** A copy of the signature bytes after the key ID. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The line, with its final newline. */
  public String line() {
    ByteBuffer b = ByteBuffer.allocate(4 + signature.length);
    b.putInt(keyId).put(signature);
    return NoteText.EM_DASH + " " + name + " " + NoteText.base64(b.array()) + "\n";
  }

  @Override
  public String toString() {
    return "NoteSignature[" + name + " " + NoteVerifier.hexId(keyId) + "]";
  }
}
