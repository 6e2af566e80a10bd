package io.veritydb.crypto.note;

import io.veritydb.types.Checks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A C2SP signed note: text ending in a newline, a blank line, then one or more signature lines
 * {@code — <key name> base64(key ID || signature)}, each ending in a newline.
 *
 * <p>Parsing checks the structure only; {@link #verify} applies the signature rules of the spec:
 * signatures whose (name, key ID) match no trusted key are ignored; a signature from a trusted key
 * that fails rejects the whole note; a note with no verified signature from a trusted key is
 * rejected. At most {@link #MAX_SIGNATURES} signatures and {@link #MAX_BYTES} bytes are accepted.
 */
public final class SignedNote {
  /** The most signature lines accepted (the spec requires at least 16). */
  public static final int MAX_SIGNATURES = 64;

  /** The largest note accepted, in bytes. */
  public static final int MAX_BYTES = 1 << 20;

  private final String text;
  private final List<NoteSignature> signatures;

  private SignedNote(String text, List<NoteSignature> signatures) {
    this.text = text;
    this.signatures = List.copyOf(signatures);
  }

  /** Signs {@code text} (which must end in a newline) with every signer, in order. */
  public static SignedNote sign(String text, List<NoteSigner> signers) {
    Checks.checkNotNull(signers, "signers");
    checkText(text);
    if (signers.isEmpty() || signers.size() > MAX_SIGNATURES) {
      throw new NoteException("a note needs 1 to " + MAX_SIGNATURES + " signers");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<NoteSignature> sigs = new ArrayList<>();
    for (NoteSigner s : signers) {
      sigs.add(new NoteSignature(s.name(), s.keyId(), s.sign(bytes)));
    }
    return new SignedNote(text, sigs);
  }

  /** Parses the structure of a signed note (no signature is checked). */
  public static SignedNote parse(byte[] note) {
    Checks.checkNotNull(note, "note");
    if (note.length > MAX_BYTES) {
      throw new NoteException("note is " + note.length + " bytes, more than " + MAX_BYTES);
    }
    String s = NoteText.utf8(note, "note");
    if (s.isEmpty() || s.charAt(s.length() - 1) != '\n') {
      throw new NoteException("note must end with a newline");
    }
    int blank = s.lastIndexOf("\n\n");
    if (blank < 0) {
      throw new NoteException("note has no blank line between its text and its signatures");
    }
    String text = s.substring(0, blank + 1);
    String block = s.substring(blank + 2);
    if (block.isEmpty()) {
      throw new NoteException("note has no signature lines after the blank line");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new NoteException(
          "note has " + lines.length + " signatures, more than " + MAX_SIGNATURES);
    }
    List<NoteSignature> sigs = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      sigs.add(NoteSignature.parseLine(lines[i], i + 1));
    }
    return new SignedNote(text, sigs);
  }

  /** Parses {@code note} and {@link #verify verifies} it; returns the verified note. */
  public static SignedNote open(byte[] note, Collection<NoteVerifier> trusted) {
    SignedNote parsed = parse(note);
    parsed.verify(trusted);
    return parsed;
  }

  /**
   * Checks the signatures against {@code trusted} keys and returns those that verified (at least
   * one); throws {@link NoteException} when a trusted key's signature fails or none verifies.
   */
  public List<NoteVerifier> verify(Collection<NoteVerifier> trusted) {
    Checks.checkNotNull(trusted, "trusted");
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<NoteVerifier> verified = new ArrayList<>();
    for (NoteSignature sig : signatures) {
      for (NoteVerifier v : trusted) {
        if (v.matches(sig)) {
          if (!v.verify(bytes, sig.signature())) {
            throw new NoteException(
                "signature by "
                    + sig.name()
                    + " (key ID "
                    + NoteVerifier.hexId(sig.keyId())
                    + ") does not verify: the note was altered or signed by another key");
          }
          if (!verified.contains(v)) {
            verified.add(v);
          }
        }
      }
    }
    if (verified.isEmpty()) {
      List<String> names = new ArrayList<>();
      signatures.forEach(s -> names.add(s.name() + "+" + NoteVerifier.hexId(s.keyId())));
      throw new NoteException("note is not signed by any trusted key; signed by " + names);
    }
    return verified;
  }

  /** The note text, final newline included, blank separator line excluded. */
  public String text() {
    return text;
  }

  public List<NoteSignature> signatures() {
    return signatures;
  }

  /** The signed note as text. */
  public String encode() {
    StringBuilder b = new StringBuilder(text).append('\n');
    signatures.forEach(s -> b.append(s.line()));
    return b.toString();
  }

  /** The signed note as UTF-8 bytes. */
  public byte[] toBytes() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return encode();
  }

  private static void checkText(String text) {
    Checks.checkNotNull(text, "text");
    NoteText.checkNoControl(text, "note text");
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw new NoteException("note text must end with a newline");
    }
  }
}
