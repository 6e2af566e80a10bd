package io.veritydb.crypto.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.merkle.MerkleHash;
import io.veritydb.crypto.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlogProofTest {
  private static final String ORIGIN = "veritydb.example/db1";

  private static NoteSigner signer(int seedByte) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) seedByte);
    return NoteSigner.ed25519(ORIGIN, Ed25519KeyPair.fromPrivateKey(seed));
  }

  private static byte[] record(int i) {
    return ("record " + i).getBytes(StandardCharsets.UTF_8);
  }

  private static final int N = 21;
  private static final NoteSigner LOG = signer(3);
  private static final MerkleTree TREE = tree();

  private static MerkleTree tree() {
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < N; i++) {
      tree.appendLeafData(record(i));
    }
    return tree;
  }

  private static TlogProof proof(int index) {
    SignedNote checkpoint =
        Checkpoint.veritydb(ORIGIN, N, TREE.root(), new byte[32], 1).sign(List.of(LOG));
    return TlogProof.of(record(index), index, TREE.inclusionProof(index, N), checkpoint);
  }

  @Test
  void shouldFollowTheSpecLayoutLineByLine() {
    TlogProof p = proof(13);
    String[] lines = p.encode().split("\n", -1);
    assertEquals(TlogProof.HEADER, lines[0]);
    assertEquals("extra " + Base64.getEncoder().encodeToString(record(13)), lines[1]);
    assertEquals("index 13", lines[2]);
    List<byte[]> hashes = TREE.inclusionProof(13, N);
    for (int i = 0; i < hashes.size(); i++) {
      assertEquals(Base64.getEncoder().encodeToString(hashes.get(i)), lines[3 + i]);
    }
    assertEquals("", lines[3 + hashes.size()]);
    assertEquals(ORIGIN, lines[4 + hashes.size()]);
    assertEquals(String.valueOf(N), lines[5 + hashes.size()]);
  }

  @Test
  void shouldRoundTripAndVerifyEveryLeafFromItsExtraData() {
    for (int i = 0; i < N; i++) {
      TlogProof p = TlogProof.parse(proof(i).toBytes());
      assertEquals(proof(i).encode(), p.encode());
      Checkpoint c = p.verifyLeafData(ORIGIN, List.of(LOG.verifier()));
      assertEquals(N, c.size());
      assertArrayEquals(record(i), p.extra().orElseThrow());
      p.verify(MerkleHash.leafHash(record(i)), ORIGIN, List.of(LOG.verifier()));
    }
  }

  @Test
  void shouldParseAProofWithoutExtraAndAnEmptyPath() {
    MerkleTree one = MerkleTree.inMemory();
    one.appendLeafData(record(0));
    SignedNote cp = Checkpoint.of(ORIGIN, 1, one.root(), List.of()).sign(List.of(LOG));
    TlogProof p = TlogProof.of(null, 0, List.of(), cp);
    String text = p.encode();
    assertTrue(text.startsWith(TlogProof.HEADER + "\nindex 0\n\n" + ORIGIN + "\n1\n"), text);
    TlogProof back = TlogProof.parse(text.getBytes(StandardCharsets.UTF_8));
    assertTrue(back.extra().isEmpty());
    back.verify(MerkleHash.leafHash(record(0)), ORIGIN, List.of(LOG.verifier()));
    assertThrows(NoteException.class, () -> back.verifyLeafData(ORIGIN, List.of(LOG.verifier())));
  }

  @Test
  void shouldRejectATamperedProofInEveryPart() {
    String good = proof(6).encode();
    String[] lines = good.split("\n", -1);
    List<String> tampered = new ArrayList<>();
    tampered.add(good.replace("extra " + b64(record(6)), "extra " + b64(record(7))));
    tampered.add(good.replace("index 6\n", "index 7\n"));
    tampered.add(good.replace(lines[3] + "\n", flip(lines[3]) + "\n"));
    tampered.add(good.replace(lines[4] + "\n", ""));
    tampered.add(good.replace(lines[3] + "\n", lines[3] + "\n" + lines[3] + "\n"));
    tampered.add(good.replace("\n" + N + "\n", "\n" + (N + 1) + "\n"));
    String otherKey =
        TlogProof.of(
                record(6),
                6,
                TREE.inclusionProof(6, N),
                Checkpoint.of(ORIGIN, N, TREE.root(), List.of()).sign(List.of(signer(4))))
            .encode();
    tampered.add(otherKey);
    for (String t : tampered) {
      assertTrue(!t.equals(good));
      assertThrows(
          NoteException.class,
          () ->
              TlogProof.parse(t.getBytes(StandardCharsets.UTF_8))
                  .verifyLeafData(ORIGIN, List.of(LOG.verifier())),
          t);
    }
  }

  @Test
  void shouldRejectMalformedProofText() {
    String good = proof(2).encode();
    List<String[]> cases =
        List.of(
            new String[] {
              good.replace(TlogProof.HEADER, "c2sp.org/tlog-proof@v2"), "must start with the line"
            },
            new String[] {good.replace("index 2", "index 02"), "leading zero"},
            new String[] {good.replace("index 2", "idx 2"), "index"},
            new String[] {good.replace("\n\n", "\n"), "empty line"},
            new String[] {good.replace("\n", "\r\n"), "carriage return"},
            new String[] {good.replace("extra ", "extra !"), "base64"},
            new String[] {good.replaceFirst("\nindex 2\n", "\nindex 2\nAAAA\n"), "not 32"});
    for (String[] c : cases) {
      NoteException e =
          assertThrows(
              NoteException.class,
              () -> TlogProof.parse(c[0].getBytes(StandardCharsets.UTF_8)),
              c[1]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage() + " should say " + c[1]);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String flip(String base64) {
    byte[] b = Base64.getDecoder().decode(base64);
    b[5] ^= 0x20;
    return b64(b);
  }
}
