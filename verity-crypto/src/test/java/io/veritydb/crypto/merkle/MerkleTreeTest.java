package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veritydb.types.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  /** The eight leaves of the RFC 6962 reference tests, from which the vectors were generated. */
  private static final String[] LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };

  private static MerkleTree referenceTree() {
    MerkleTree tree = MerkleTree.inMemory();
    for (String leaf : LEAVES) {
      tree.appendLeafData(HexFormat.of().parseHex(leaf));
    }
    return tree;
  }

  private static JsonNode vector(String path) throws IOException {
    try (InputStream in =
        MerkleTreeTest.class.getResourceAsStream("/vectors/merkle/testdata/" + path)) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static List<String> base64(List<byte[]> hashes) {
    List<String> out = new ArrayList<>();
    hashes.forEach(h -> out.add(Base64.getEncoder().encodeToString(h)));
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && !array.isNull()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  @Test
  void shouldProduceTheSameInclusionProofsAsTheReferenceVectors() throws IOException {
    MerkleTree tree = referenceTree();
    for (int i = 0; i <= 4; i++) {
      JsonNode c = vector("inclusion/" + i + "/happy-path.json");
      long index = c.get("leafIdx").asLong();
      long size = c.get("treeSize").asLong();
      assertEquals(c.get("root").asText(), base64(List.of(tree.rootAt(size))).get(0));
      assertEquals(c.get("leafHash").asText(), base64(List.of(tree.leafHash(index))).get(0));
      assertEquals(strings(c.get("proof")), base64(tree.inclusionProof(index, size)), "case " + i);
    }
  }

  @Test
  void shouldProduceTheSameConsistencyProofsAsTheReferenceVectors() throws IOException {
    MerkleTree tree = referenceTree();
    for (int i = 0; i <= 4; i++) {
      JsonNode c = vector("consistency/" + i + "/happy-path.json");
      long size1 = c.get("size1").asLong();
      long size2 = c.get("size2").asLong();
      assertEquals(c.get("root1").asText(), base64(List.of(tree.rootAt(size1))).get(0));
      assertEquals(c.get("root2").asText(), base64(List.of(tree.rootAt(size2))).get(0));
      assertEquals(
          strings(c.get("proof")), base64(tree.consistencyProof(size1, size2)), "case " + i);
    }
  }

  @Test
  void shouldGiveTheEmptyTreeTheHashOfTheEmptyString() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HexFormat.of().formatHex(MerkleTree.inMemory().root()));
  }

  @Test
  void shouldRefuseProofsOutsideTheTree() {
    MerkleTree tree = referenceTree();
    assertThrows(BadRequestException.class, () -> tree.inclusionProof(8, 8));
    assertThrows(BadRequestException.class, () -> tree.inclusionProof(0, 9));
    assertThrows(BadRequestException.class, () -> tree.inclusionProof(-1, 8));
    assertThrows(BadRequestException.class, () -> tree.consistencyProof(0, 8));
    assertThrows(BadRequestException.class, () -> tree.consistencyProof(5, 4));
    assertThrows(BadRequestException.class, () -> tree.consistencyProof(1, 9));
    assertThrows(BadRequestException.class, () -> tree.leafHash(8));
    assertThrows(IllegalArgumentException.class, () -> tree.append(new byte[31]));
  }

  @Test
  void shouldTruncateToAnEarlierSizeAndGrowAgain() {
    MerkleTree tree = referenceTree();
    byte[] root5 = tree.rootAt(5);
    tree.truncate(5);
    assertEquals(5, tree.size());
    assertArrayEquals(root5, tree.root());
    tree.appendLeafData(HexFormat.of().parseHex(LEAVES[5]));
    tree.appendLeafData(HexFormat.of().parseHex(LEAVES[6]));
    tree.appendLeafData(HexFormat.of().parseHex(LEAVES[7]));
    assertArrayEquals(referenceTree().root(), tree.root());
  }
}
