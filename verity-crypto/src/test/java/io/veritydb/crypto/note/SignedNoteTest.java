package io.veritydb.crypto.note;

import static io.veritydb.crypto.note.NoteVectors.GO_NOTE;
import static io.veritydb.crypto.note.NoteVectors.GO_SKEY;
import static io.veritydb.crypto.note.NoteVectors.GO_TEXT;
import static io.veritydb.crypto.note.NoteVectors.GO_VKEY;
import static io.veritydb.crypto.note.NoteVectors.SPEC_NOTE;
import static io.veritydb.crypto.note.NoteVectors.SPEC_VKEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static NoteSigner signer(String name, int seedByte) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) seedByte);
    return NoteSigner.ed25519(name, Ed25519KeyPair.fromPrivateKey(seed));
  }

  @Test
  void shouldRefuseAKeyIdSpelledWithDigitsOutsideAscii() {
    // 530d903a in fullwidth digits and letters, which Long.parseLong reads as the same number
    String fullwidth = "\uFF15\uFF13\uFF10\uFF44\uFF19\uFF10\uFF13\uFF41";
    String vkey = SPEC_VKEY.replace("530d903a", fullwidth);
    assertTrue(vkey.contains(fullwidth));
    assertThrows(NoteException.class, () -> NoteVerifier.parse(vkey));
  }

  @Test
  void shouldVerifyTheSignedNoteSpecExample() {
    NoteVerifier v = NoteVerifier.parse(SPEC_VKEY);
    assertEquals("example.com/foo", v.name());
    assertEquals(0x530d903a, v.keyId());
    assertEquals(SPEC_VKEY, v.encode());
    SignedNote note = SignedNote.open(utf8(SPEC_NOTE), List.of(v));
    assertEquals("This is an example message.\n", note.text());
    assertEquals(SPEC_NOTE, note.encode());
  }

  @Test
  void shouldSignExactlyLikeTheGoReferenceImplementation() {
    NoteSigner s = NoteSigner.parse(GO_SKEY);
    assertEquals(GO_VKEY, s.verifier().encode());
    assertEquals(0xc74f20a3, s.keyId());
    SignedNote note = SignedNote.sign(GO_TEXT, List.of(s));
    assertEquals(GO_NOTE, note.encode());
    assertEquals(
        List.of(NoteVerifier.parse(GO_VKEY).encode()),
        SignedNote.open(utf8(GO_NOTE), List.of(NoteVerifier.parse(GO_VKEY)))
            .verify(List.of(NoteVerifier.parse(GO_VKEY)))
            .stream()
            .map(NoteVerifier::encode)
            .toList());
  }

  @Test
  void shouldComputeTheKeyIdFromNameTypeAndKey() {
    NoteVerifier v = NoteVerifier.parse(SPEC_VKEY);
    byte[] key = v.publicKey();
    assertEquals(0x530d903a, NoteVerifier.keyId("example.com/foo", (byte) 1, key));
    assertEquals(v.encode(), NoteVerifier.ed25519("example.com/foo", key).encode());
  }

  @Test
  void shouldRoundTripANoteWithSeveralSignaturesAndBlankLinesInTheText() {
    NoteSigner a = signer("log.example/a", 1);
    NoteSigner b = signer("witness.example/b", 2);
    String text = "line one\n\nline three after a blank line\n";
    SignedNote note = SignedNote.sign(text, List.of(a, b));
    SignedNote parsed = SignedNote.parse(note.toBytes());
    assertEquals(text, parsed.text());
    assertEquals(2, parsed.signatures().size());
    assertEquals(List.of(b.verifier()), parsed.verify(List.of(b.verifier())));
    assertEquals(2, parsed.verify(List.of(a.verifier(), b.verifier())).size());
  }

  @Test
  void shouldRejectMalformedVerifierKeys() {
    String good = SPEC_VKEY;
    List<String> bad =
        List.of(
            "",
            "example.com/foo",
            "example.com/foo+530d903a",
            "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example.com/fo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example com+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k=",
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U",
            "example.com/foo+zzzzzzzz+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    NoteVerifier.parse(good);
    for (String vkey : bad) {
      assertThrows(NoteException.class, () -> NoteVerifier.parse(vkey), vkey);
    }
  }

  @Test
  void shouldRejectMalformedNotesWithAClearReason() {
    String sig = SPEC_NOTE.substring(SPEC_NOTE.indexOf('\u2014'));
    String text = "This is an example message.\n";
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {text.replace("\n", "\r\n") + "\r\n" + sig, "carriage return"});
    cases.add(new String[] {text + sig, "no blank line"});
    cases.add(new String[] {text + "\n" + sig.trim(), "must end with a newline"});
    cases.add(new String[] {text + "\n", "no signature lines"});
    cases.add(new String[] {text + "\n" + sig.replace('\u2014', '-'), "em dash"});
    cases.add(new String[] {text + "\n" + sig.replace("foo ", "foo  "), "signature line 1"});
    cases.add(new String[] {text + "\n" + sig.replace("aQM=", "aQM"), "base64"});
    cases.add(new String[] {text + "\n" + sig.replace("foo ", "foo AAAA "), "signature line 1"});
    cases.add(new String[] {"a\u0007b\n\n" + sig, "control character"});
    cases.add(new String[] {"", "must end with a newline"});
    cases.add(new String[] {text + "\n\u2014 example.com/foo AAAA\n", "bytes"});
    for (String[] c : cases) {
      NoteException e = assertThrows(NoteException.class, () -> SignedNote.parse(utf8(c[0])), c[1]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage() + " should say " + c[1]);
    }
    byte[] invalidUtf8 = utf8(SPEC_NOTE);
    invalidUtf8[3] = (byte) 0xff;
    assertThrows(NoteException.class, () -> SignedNote.parse(invalidUtf8));
  }

  @Test
  void shouldRejectANoteSignedOnlyByUnknownKeys() {
    NoteSigner other = signer("example.com/foo", 9);
    NoteException e =
        assertThrows(
            NoteException.class, () -> SignedNote.open(utf8(SPEC_NOTE), List.of(other.verifier())));
    assertTrue(e.getMessage().contains("not signed by any trusted key"), e.getMessage());
  }

  @Test
  void shouldRejectTheWholeNoteWhenATrustedSignatureFailsEvenIfAnotherVerifies() {
    NoteSigner a = signer("log.example/a", 1);
    NoteSigner b = signer("witness.example/b", 2);
    String good = SignedNote.sign("hello\n", List.of(a)).encode();
    String forged = SignedNote.sign("hellO\n", List.of(b)).encode();
    String mixed = good + forged.substring(forged.indexOf('\u2014'));
    SignedNote note = SignedNote.parse(utf8(mixed));
    assertEquals(List.of(a.verifier()), note.verify(List.of(a.verifier())));
    NoteException e =
        assertThrows(NoteException.class, () -> note.verify(List.of(a.verifier(), b.verifier())));
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
  }

  @Test
  void shouldRejectEveryAlteredByteOfASignedNote() {
    NoteVerifier v = NoteVerifier.parse(GO_VKEY);
    byte[] note = utf8(GO_NOTE);
    for (int i = 0; i < note.length; i++) {
      byte[] tampered = note.clone();
      tampered[i] ^= 0x01;
      int at = i;
      assertThrows(NoteException.class, () -> SignedNote.open(tampered, List.of(v)), "byte " + at);
    }
    assertArrayEquals(note, SignedNote.open(note, List.of(v)).toBytes());
  }

  @Test
  void shouldRefuseToSignTextWithoutFinalNewlineOrWithCarriageReturns() {
    NoteSigner a = signer("log.example/a", 1);
    assertThrows(NoteException.class, () -> SignedNote.sign("no newline", List.of(a)));
    assertThrows(NoteException.class, () -> SignedNote.sign("dos\r\n", List.of(a)));
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) 9);
    Ed25519KeyPair key = Ed25519KeyPair.fromPrivateKey(seed);
    assertThrows(NoteException.class, () -> NoteSigner.ed25519("bad name", key));
    assertThrows(NoteException.class, () -> NoteSigner.ed25519("a+b", key));
  }
}
