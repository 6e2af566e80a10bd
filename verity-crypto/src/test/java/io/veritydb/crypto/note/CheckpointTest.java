package io.veritydb.crypto.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final String ORIGIN = "veritydb.example/db1";
  private static final byte[] ROOT = new byte[32];
  private static final byte[] CHAIN = new byte[32];

  static {
    Arrays.fill(ROOT, (byte) 0xab);
    for (int i = 0; i < 32; i++) {
      CHAIN[i] = (byte) i;
    }
  }

  private static NoteSigner signer() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    return NoteSigner.ed25519(ORIGIN, Ed25519KeyPair.fromPrivateKey(seed));
  }

  @Test
  void shouldParseTheSpecExampleWithALogSignatureAndACosignature() {
    SignedNote note =
        SignedNote.parse(NoteVectors.SPEC_COSIGNED_CHECKPOINT.getBytes(StandardCharsets.UTF_8));
    Checkpoint c = Checkpoint.parseBody(note.text());
    assertEquals("example.com/behind-the-sofa", c.origin());
    assertEquals(20852163L, c.size());
    assertEquals(
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        Base64.getEncoder().encodeToString(c.rootHash()));
    assertEquals(List.of(), c.extensions());
    assertEquals(2, note.signatures().size());
    assertEquals(64, note.signatures().get(0).signature().length);
    assertEquals(72, note.signatures().get(1).signature().length, "timestamp + signature");
    assertEquals(NoteVectors.SPEC_COSIGNED_CHECKPOINT, note.encode());
  }

  @Test
  void shouldWriteTheVerityDbExtensionLinesAndReadThemBack() {
    Checkpoint c = Checkpoint.veritydb(ORIGIN, 42, ROOT, CHAIN, 1_764_130_000_123_456L);
    String body = c.body();
    assertEquals(
        ORIGIN
            + "\n42\n"
            + Base64.getEncoder().encodeToString(ROOT)
            + "\nveritydb chain "
            + HexFormat.of().formatHex(CHAIN)
            + "\nveritydb time-us 1764130000123456\n",
        body);
    Checkpoint back = Checkpoint.parseBody(body);
    assertEquals(c, back);
    assertArrayEquals(CHAIN, back.chainHash().orElseThrow());
    assertEquals(1_764_130_000_123_456L, back.timeMicros().orElseThrow());
  }

  @Test
  void shouldSignAndOpenACheckpoint() {
    NoteSigner s = signer();
    Checkpoint c = Checkpoint.veritydb(ORIGIN, 7, ROOT, CHAIN, 5);
    byte[] signed = c.sign(List.of(s)).toBytes();
    assertEquals(c, Checkpoint.open(signed, ORIGIN, List.of(s.verifier())));
    NoteException e =
        assertThrows(
            NoteException.class,
            () -> Checkpoint.open(signed, "other.example/log", List.of(s.verifier())));
    assertTrue(e.getMessage().contains("origin"), e.getMessage());
  }

  @Test
  void shouldRejectACheckpointWhoseSizeRootChainOrTimeWasEdited() {
    NoteSigner s = signer();
    String signed = Checkpoint.veritydb(ORIGIN, 7, ROOT, CHAIN, 5).sign(List.of(s)).encode();
    List<String> edits =
        List.of(
            signed.replace("\n7\n", "\n8\n"),
            signed.replace("q6ur", "q6us"),
            signed.replace("chain 00", "chain 01"),
            signed.replace("time-us 5", "time-us 6"));
    for (String edited : edits) {
      assertTrue(!edited.equals(signed));
      assertThrows(
          NoteException.class,
          () ->
              Checkpoint.open(
                  edited.getBytes(StandardCharsets.UTF_8), ORIGIN, List.of(s.verifier())),
          edited);
    }
  }

  @Test
  void shouldRejectMalformedBodies() {
    String root = Base64.getEncoder().encodeToString(ROOT);
    List<String[]> cases =
        List.of(
            new String[] {ORIGIN + "\n7\n", "needs an origin"},
            new String[] {ORIGIN + "\n07\n" + root + "\n", "leading zero"},
            new String[] {ORIGIN + "\n+7\n" + root + "\n", "not a decimal"},
            new String[] {ORIGIN + "\n-1\n" + root + "\n", "not a decimal"},
            new String[] {ORIGIN + "\n 7\n" + root + "\n", "not a decimal"},
            new String[] {ORIGIN + "\n7 \n" + root + "\n", "not a decimal"},
            new String[] {ORIGIN + "\n99999999999999999999\n" + root + "\n", "not a decimal"},
            new String[] {ORIGIN + "\n9223372036854775808\n" + root + "\n", "too large"},
            new String[] {ORIGIN + "\n7\nAAAA\n", "32 bytes"},
            new String[] {ORIGIN + "\n7\n" + root.replace("=", "") + "\n", "base64"},
            new String[] {ORIGIN + "\n7\n" + root + "\n\nx\n", "empty"},
            new String[] {"\n7\n" + root + "\n", "empty"},
            new String[] {ORIGIN + "\n7\n" + root, "newline"},
            new String[] {ORIGIN + "\r\n7\r\n" + root + "\r\n", "carriage return"},
            new String[] {ORIGIN + "\n7\n" + root + "\nveritydb chain ABC\n", "hex"},
            new String[] {ORIGIN + "\n7\n" + root + "\nveritydb colour blue\n", "unknown"},
            new String[] {
              ORIGIN + "\n7\n" + root + "\nveritydb time-us 1\nveritydb time-us 2\n", "repeated"
            },
            new String[] {ORIGIN + "\n7\n" + root + "\nveritydb time-us 01\n", "leading zero"});
    for (String[] c : cases) {
      NoteException e = assertThrows(NoteException.class, () -> Checkpoint.parseBody(c[0]), c[1]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage() + " should say " + c[1]);
    }
  }

  @Test
  void shouldKeepForeignExtensionLinesOpaque() {
    String root = Base64.getEncoder().encodeToString(ROOT);
    Checkpoint c = Checkpoint.parseBody(ORIGIN + "\n0\n" + root + "\nsomething else\n");
    assertEquals(List.of("something else"), c.extensions());
    assertTrue(c.chainHash().isEmpty());
    assertThrows(NoteException.class, () -> Checkpoint.of("two\nlines", 1, ROOT, List.of()));
  }
}
