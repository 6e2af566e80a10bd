package io.veritydb.crypto.note;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.merkle.MerkleTree;
import io.veritydb.crypto.merkle.ProofText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the examples of docs/notes-merkle.md. Their hashes, key ID and Ed25519 signature were
 * checked independently with Python's hashlib and the pyca/cryptography Ed25519 verifier (the
 * script is in the notes), so this is a known-answer test of the whole chain: leaf hash, tree,
 * checkpoint body, key ID, signature and proof text.
 */
class DocumentedExampleTest {
  static final String VKEY =
      "veritydb.example/db1+29060352+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";

  static final String CHECKPOINT =
      """
      veritydb.example/db1
      5
      q1uiQNXF9m1XxD/D6UjYe+ylGdTaiwKLbFgv2nu/mbQ=
      veritydb chain a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf
      veritydb time-us 1764130000123456

      \u2014 veritydb.example/db1 KQYDUoM5nVqdyRZi2SjPF2FKSK2Jg0EVeVuRHkoijzi3/t71ZOdPKTJ1hUVH+cFNdz\
      LunLbpxtDx8GqEI4vPivUxqwM=
      """;

  static final String PROOF =
      """
      c2sp.org/tlog-proof@v1
      extra cmVjb3JkIDI=
      index 2
      zgHiTyZCGwocqrHsogbzT7tOTci5RDQ4qWNCPZqvb50=
      XDShEgWHfs8sTyjiVJXQgwGzPb+4YkGfeUb6b9+BJO8=
      4/xhsimX2iSB/tWu1E/YKdvUyNH5pt75w0DiEhlhg+k=

      """
          + CHECKPOINT;

  static final String CONSISTENCY_3_TO_5 =
      """
      eQtCVVwoF8KPO6ujvYzB2nR8wC1umQQeZPjGJ0bPBTs=
      zgHiTyZCGwocqrHsogbzT7tOTci5RDQ4qWNCPZqvb50=
      XDShEgWHfs8sTyjiVJXQgwGzPb+4YkGfeUb6b9+BJO8=
      4/xhsimX2iSB/tWu1E/YKdvUyNH5pt75w0DiEhlhg+k=
      """;

  @Test
  void shouldReproduceTheDocumentedVkeyCheckpointAndProofs() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    NoteSigner signer =
        NoteSigner.ed25519("veritydb.example/db1", Ed25519KeyPair.fromPrivateKey(seed));
    assertEquals(VKEY, signer.verifier().encode());
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < 5; i++) {
      tree.appendLeafData(("record " + i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] chain = new byte[32];
    for (int i = 0; i < 32; i++) {
      chain[i] = (byte) (0xa0 + i);
    }
    SignedNote checkpoint =
        Checkpoint.veritydb("veritydb.example/db1", 5, tree.root(), chain, 1_764_130_000_123_456L)
            .sign(List.of(signer));
    assertEquals(CHECKPOINT, checkpoint.encode());
    TlogProof proof =
        TlogProof.of(
            "record 2".getBytes(StandardCharsets.UTF_8), 2, tree.inclusionProof(2, 5), checkpoint);
    assertEquals(PROOF, proof.encode());
    assertEquals(CONSISTENCY_3_TO_5, ProofText.encode(tree.consistencyProof(3, 5)));
    TlogProof.parse(PROOF.getBytes(StandardCharsets.UTF_8))
        .verifyLeafData("veritydb.example/db1", List.of(NoteVerifier.parse(VKEY)));
  }
}
