package io.veritydb.crypto.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The RFC 6962 definition of MTH, written independently of {@link MerkleTree}: the recursion
 * MTH(D[n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])) run with an explicit stack.
 */
final class MerkleReference {
  private MerkleReference() {}

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] leaf(byte[] data) {
    return sha256(new byte[] {0}, data);
  }

  /** MTH of leafHashes[lo, hi). */
  static byte[] mth(List<byte[]> leafHashes, int lo, int hi) {
    if (hi == lo) {
      return sha256();
    }
    // Frames: {lo, hi, state}; results on a separate stack.
    Deque<int[]> frames = new ArrayDeque<>();
    Deque<byte[]> results = new ArrayDeque<>();
    frames.push(new int[] {lo, hi, 0});
    while (!frames.isEmpty()) {
      int[] f = frames.pop();
      int n = f[1] - f[0];
      if (n == 1) {
        results.push(leafHashes.get(f[0]));
        continue;
      }
      int k = 1;
      while (k * 2 < n) {
        k *= 2;
      }
      if (f[2] == 0) {
        frames.push(new int[] {f[0], f[1], 1});
        frames.push(new int[] {f[0] + k, f[1], 0});
        frames.push(new int[] {f[0], f[0] + k, 0});
      } else {
        byte[] right = results.pop();
        byte[] left = results.pop();
        results.push(sha256(new byte[] {1}, left, right));
      }
    }
    return results.pop();
  }
}
