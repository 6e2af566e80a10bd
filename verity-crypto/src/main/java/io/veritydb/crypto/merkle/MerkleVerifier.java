package io.veritydb.crypto.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Stand-alone verifier of RFC 6962 / RFC 9162 inclusion and consistency proofs (SHA-256, 0x00 leaf
 * and 0x01 node prefixes). It depends on the JDK only, so it can be copied out of VerityDB and used
 * by a third party with nothing but the proof, the leaf, and the root of a checkpoint they trust.
 *
 * <p>The algorithms are those of RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency),
 * with every length checked: hashes must be 32 bytes, indexes and sizes non-negative (an unsigned
 * 64-bit value of 2^63 or more cannot be a VerityDB size and is refused), and a proof of more than
 * 64 hashes is refused before any hashing. A consistency proof from the empty tree is refused, as
 * transparency-dev/merkle does (it proves nothing). The {@code check...} methods return the reason
 * a proof fails, the {@code verify...} methods only whether it holds. All methods are thread-safe.
 */
public final class MerkleVerifier {
  private static final int HASH = 32;
  private static final int MAX_PROOF = 64;

  private MerkleVerifier() {}

  /** True when {@code proof} shows the leaf with {@code leafData} at {@code index} under root. */
  public static boolean verifyInclusionOfData(
      byte[] leafData, long index, long treeSize, List<byte[]> proof, byte[] root) {
    return checkInclusionOfData(leafData, index, treeSize, proof, root).isEmpty();
  }

  /** True when {@code proof} shows {@code leafHash} at {@code index} in the tree with root. */
  public static boolean verifyInclusion(
      byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
    return checkInclusion(leafHash, index, treeSize, proof, root).isEmpty();
  }

  /** True when {@code proof} shows the tree (size1, root1) is a prefix of (size2, root2). */
  public static boolean verifyConsistency(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
    return checkConsistency(size1, size2, proof, root1, root2).isEmpty();
  }

  /** Like {@link #checkInclusion} for the leaf's data, hashed as SHA-256(0x00 || data). */
  public static Optional<String> checkInclusionOfData(
      byte[] leafData, long index, long treeSize, List<byte[]> proof, byte[] root) {
    if (leafData == null) {
      return Optional.of("no leaf data");
    }
    MessageDigest md = sha256();
    md.update((byte) 0x00);
    md.update(leafData);
    return checkInclusion(md.digest(), index, treeSize, proof, root);
  }

  /** Empty when the inclusion proof holds, else the reason it does not (RFC 9162 2.1.3.2). */
  public static Optional<String> checkInclusion(
      byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
    Optional<String> bad = checkHashes(proof, leafHash, "leaf hash", root, "root");
    if (bad.isPresent()) {
      return bad;
    }
    if (index < 0 || treeSize < 0 || index >= treeSize) {
      return Optional.of(
          "leaf index "
              + Long.toUnsignedString(index)
              + " is not inside a tree of size "
              + Long.toUnsignedString(treeSize));
    }
    MessageDigest md = sha256();
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        return Optional.of("inclusion proof has more hashes than the path is long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(md, p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = node(md, r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return Optional.of("inclusion proof has fewer hashes than the path is long");
    }
    if (!MessageDigest.isEqual(r, root)) {
      return Optional.of("inclusion proof does not lead to the root hash");
    }
    return Optional.empty();
  }

  /** Empty when the consistency proof holds, else the reason it does not (RFC 9162 2.1.4.2). */
  public static Optional<String> checkConsistency(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
    if (proof == null || root1 == null || root2 == null) {
      return Optional.of("missing proof or root");
    }
    if (size1 < 0 || size2 < 0 || size1 > size2) {
      return Optional.of(
          "tree size "
              + Long.toUnsignedString(size1)
              + " cannot be a prefix of tree size "
              + Long.toUnsignedString(size2));
    }
    if (size1 == 0) {
      return Optional.of("a consistency proof from the empty tree proves nothing");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        return Optional.of("equal tree sizes need an empty consistency proof");
      }
      return MessageDigest.isEqual(root1, root2)
          ? Optional.empty()
          : Optional.of("equal tree sizes but different root hashes");
    }
    Optional<String> bad = checkHashes(proof, root1, "first root", root2, "second root");
    if (bad.isPresent()) {
      return bad;
    }
    if (proof.isEmpty()) {
      return Optional.of("empty consistency proof between different tree sizes");
    }
    boolean power = Long.bitCount(size1) == 1;
    int first = power ? 0 : 1;
    byte[] seed = power ? root1 : proof.get(0);
    MessageDigest md = sha256();
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = seed;
    byte[] sr = seed;
    for (int i = first; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        return Optional.of("consistency proof has more hashes than expected");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = node(md, c, fr);
        sr = node(md, c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = node(md, sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return Optional.of("consistency proof has fewer hashes than expected");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      return Optional.of("consistency proof does not lead to the first root hash");
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      return Optional.of("consistency proof does not lead to the second root hash");
    }
    return Optional.empty();
  }

  private static Optional<String> checkHashes(
      List<byte[]> proof, byte[] a, String aName, byte[] b, String bName) {
    if (proof == null) {
      return Optional.of("no proof");
    }
    if (proof.size() > MAX_PROOF) {
      return Optional.of("proof has " + proof.size() + " hashes, more than any tree needs");
    }
    if (a == null || a.length != HASH) {
      return Optional.of(aName + " is not a 32-byte SHA-256 hash");
    }
    if (b == null || b.length != HASH) {
      return Optional.of(bName + " is not a 32-byte SHA-256 hash");
    }
    for (int i = 0; i < proof.size(); i++) {
      byte[] h = proof.get(i);
      if (h == null || h.length != HASH) {
        return Optional.of("proof hash " + i + " is not a 32-byte SHA-256 hash");
      }
    }
    return Optional.empty();
  }

  private static byte[] node(MessageDigest md, byte[] left, byte[] right) {
    md.update((byte) 0x01);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
