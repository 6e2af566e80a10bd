package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Proofs from {@link MerkleTree} against {@link MerkleVerifier} and the RFC 6962 definition. */
class MerkleTreeProperties {

  private static List<byte[]> leaves(int n, long seed) {
    Random random = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Distinct leaves (the index leads): two equal leaves would make "a proof for one index
      // does not verify for another" false by construction.
      byte[] data = new byte[4 + random.nextInt(40)];
      random.nextBytes(data);
      java.nio.ByteBuffer.wrap(data).putInt(0, i);
      out.add(MerkleReference.leaf(data));
    }
    return out;
  }

  private static MerkleTree tree(List<byte[]> leafHashes) {
    MerkleTree tree = MerkleTree.inMemory();
    leafHashes.forEach(tree::append);
    return tree;
  }

  private static int ceilLog2(long n) {
    return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
  }

  @Property(tries = 200)
  void incrementalRootEqualsTheRfc6962DefinitionAtEverySize(
      @ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
    List<byte[]> hashes = leaves(n, seed);
    MerkleTree tree = MerkleTree.inMemory();
    assertArrayEquals(MerkleReference.sha256(), tree.root());
    for (int i = 0; i < n; i++) {
      tree.append(hashes.get(i));
      assertArrayEquals(MerkleReference.mth(hashes, 0, i + 1), tree.root(), "seed=" + seed);
    }
    for (int m = 0; m <= n; m++) {
      assertArrayEquals(MerkleReference.mth(hashes, 0, m), tree.rootAt(m), "seed=" + seed);
    }
  }

  @Property(tries = 100)
  void everyInclusionProofVerifiesAndIsLogarithmic(
      @ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
    List<byte[]> hashes = leaves(n, seed);
    MerkleTree tree = tree(hashes);
    for (int size = Math.max(1, n - 3); size <= n; size++) {
      byte[] root = tree.rootAt(size);
      for (int i = 0; i < size; i++) {
        List<byte[]> proof = tree.inclusionProof(i, size);
        assertTrue(proof.size() <= ceilLog2(size), "seed=" + seed);
        assertEquals(
            java.util.Optional.empty(),
            MerkleVerifier.checkInclusion(hashes.get(i), i, size, proof, root),
            "seed=" + seed + " i=" + i + " size=" + size);
      }
    }
  }

  @Property(tries = 100)
  void everyConsistencyProofVerifiesAndIsLogarithmic(
      @ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
    List<byte[]> hashes = leaves(n, seed);
    MerkleTree tree = tree(hashes);
    byte[] root2 = tree.root();
    for (int m = 1; m <= n; m++) {
      List<byte[]> proof = tree.consistencyProof(m, n);
      assertTrue(proof.size() <= ceilLog2(n) + 1, "seed=" + seed);
      assertEquals(
          java.util.Optional.empty(),
          MerkleVerifier.checkConsistency(m, n, proof, tree.rootAt(m), root2),
          "seed=" + seed + " m=" + m + " n=" + n);
    }
  }

  @Property(tries = 300)
  void anyBitFlipInAnInclusionProofRootOrLeafIsRejected(
      @ForAll @IntRange(min = 1, max = 500) int n,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 2) int target) {
    Random random = new Random(seed);
    List<byte[]> hashes = leaves(n, seed);
    MerkleTree tree = tree(hashes);
    int i = random.nextInt(n);
    List<byte[]> proof = new ArrayList<>(tree.inclusionProof(i, n));
    byte[] root = tree.root();
    byte[] leaf = hashes.get(i).clone();
    int which = target;
    if (which == 0 && proof.isEmpty()) {
      which = 1;
    }
    int bit = random.nextInt(256);
    switch (which) {
      case 0 -> {
        int j = random.nextInt(proof.size());
        byte[] h = proof.get(j).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(j, h);
      }
      case 1 -> root[bit / 8] ^= (byte) (1 << (bit % 8));
      default -> leaf[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    assertFalse(MerkleVerifier.verifyInclusion(leaf, i, n, proof, root), "seed=" + seed);
  }

  @Property(tries = 300)
  void anyBitFlipInAConsistencyProofOrRootIsRejected(
      @ForAll @IntRange(min = 2, max = 500) int n,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 2) int target) {
    Random random = new Random(seed);
    List<byte[]> hashes = leaves(n, seed);
    MerkleTree tree = tree(hashes);
    int m = 1 + random.nextInt(n - 1);
    List<byte[]> proof = new ArrayList<>(tree.consistencyProof(m, n));
    byte[] root1 = tree.rootAt(m);
    byte[] root2 = tree.root();
    int bit = random.nextInt(256);
    switch (target) {
      case 0 -> {
        int j = random.nextInt(proof.size());
        byte[] h = proof.get(j).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(j, h);
      }
      case 1 -> root1[bit / 8] ^= (byte) (1 << (bit % 8));
      default -> root2[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    assertFalse(
        MerkleVerifier.verifyConsistency(m, n, proof, root1, root2), "seed=" + seed + " m=" + m);
  }

  @Property(tries = 100)
  void aProofForOneIndexOrSizeDoesNotVerifyForAnother(
      @ForAll @IntRange(min = 2, max = 300) int n, @ForAll long seed) {
    Random random = new Random(seed);
    List<byte[]> hashes = leaves(n, seed);
    MerkleTree tree = tree(hashes);
    int i = random.nextInt(n);
    List<byte[]> proof = tree.inclusionProof(i, n);
    byte[] root = tree.root();
    int other = (i + 1 + random.nextInt(n - 1)) % n;
    assertFalse(MerkleVerifier.verifyInclusion(hashes.get(i), other, n, proof, root));
    assertFalse(MerkleVerifier.verifyInclusion(hashes.get(other), i, n, proof, root));
    int m = 1 + random.nextInt(n - 1);
    List<byte[]> c = tree.consistencyProof(m, n);
    if (m + 1 < n) {
      assertFalse(MerkleVerifier.verifyConsistency(m + 1, n, c, tree.rootAt(m + 1), root));
    }
  }
}
