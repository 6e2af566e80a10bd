package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.types.BadRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProofTextTest {
  @Test
  void shouldRoundTripAConsistencyProofOneBase64HashPerLine() {
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < 100; i++) {
      tree.appendLeafData(new byte[] {(byte) i});
    }
    List<byte[]> proof = tree.consistencyProof(37, 100);
    String text = ProofText.encode(proof);
    assertEquals(proof.size(), text.split("\n").length);
    List<byte[]> back = ProofText.parse(text);
    assertEquals(MerkleTreeTestSupport.hex(proof), MerkleTreeTestSupport.hex(back));
    assertEquals(
        true, MerkleVerifier.verifyConsistency(37, 100, back, tree.rootAt(37), tree.root()));
    assertEquals(List.of(), ProofText.parse(""));
  }

  @Test
  void shouldRejectMalformedProofText() {
    String good = ProofText.encode(List.of(MerkleHash.leafHash(new byte[0])));
    for (String bad :
        List.of(
            good.trim(),
            good.replace("=", ""),
            good.replace("\n", "\r\n"),
            "AAAA\n",
            good + "\n",
            "!" + good)) {
      assertThrows(BadRequestException.class, () -> ProofText.parse(bad), bad);
    }
  }
}
