package io.veritydb.crypto.merkle;

import io.veritydb.types.Checks;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 / RFC 9162 (section 2.1.1) Merkle tree hashing with SHA-256 from the JDK:
 *
 * <pre>
 *   leaf hash  = SHA-256(0x00 || leaf data)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH({})    = SHA-256()  (the empty string)
 * </pre>
 *
 * The static methods are thread-safe (one {@link MessageDigest} per thread).
 */
public final class MerkleHash {
  /** Length in bytes of every hash of the tree. */
  public static final int LENGTH = 32;

  /** Maximum height of a tree whose size is a non-negative {@code long}. */
  public static final int MAX_LEVELS = 64;

  static final byte LEAF_PREFIX = 0x00;
  static final byte NODE_PREFIX = 0x01;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(MerkleHash::newSha256);

  private static final byte[] EMPTY_ROOT = SHA256.get().digest();

  private MerkleHash() {}

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The root hash of the empty tree, SHA-256 of the empty string. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** SHA-256(0x00 || data): the leaf hash of {@code data}. */
  public static byte[] leafHash(byte[] data) {
    Checks.checkNotNull(data, "data");
    MessageDigest md = SHA256.get();
    md.update(LEAF_PREFIX);
    md.update(data);
    return md.digest();
  }

  /** SHA-256(0x01 || left || right): the hash of an interior node. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    checkHash(left, "left");
    checkHash(right, "right");
    MessageDigest md = SHA256.get();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  static void checkHash(byte[] hash, String name) {
    Checks.checkNotNull(hash, name);
    if (hash.length != LENGTH) {
      throw new IllegalArgumentException(
          name + " must be a " + LENGTH + "-byte SHA-256 hash, was " + hash.length + " bytes");
    }
  }

  /** The largest power of two strictly smaller than {@code n} (n >= 2): RFC 6962's split k. */
  static long split(long n) {
    Checks.checkArgument(n >= 2, "n", n);
    return Long.highestOneBit(n - 1);
  }
}
