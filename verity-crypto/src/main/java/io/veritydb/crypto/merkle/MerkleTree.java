package io.veritydb.crypto.merkle;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An append-only RFC 6962 Merkle tree over stored leaf hashes, kept incrementally: an append hashes
 * O(1) nodes amortised (at most log2 n) and stores every completed perfect subtree in {@link
 * MerkleHashes}; the current root is folded from the frontier (the O(log n) perfect subtree roots
 * of the binary decomposition of the size) without any read. Past roots, inclusion proofs (RFC 6962
 * PATH) and consistency proofs (RFC 6962 PROOF/SUBPROOF) read O(log n) stored hashes; no proof
 * needs more than {@code 2 * 64} reads.
 *
 * <p>Methods are synchronized: one appender and any number of provers may share an instance.
 */
public final class MerkleTree implements AutoCloseable {
  private final MerkleHashes store;

  /** frontier[L] is node (L, (size >> L) - 1) when bit L of size is set, else null. */
  private final byte[][] frontier = new byte[MerkleHash.MAX_LEVELS][];

  private long size;
  private byte[] root;

  private MerkleTree(MerkleHashes store) {
    this.store = store;
  }

  /**
   * Opens the tree held by {@code store}: drops nodes of upper levels not covered by the leaves,
   * recomputes upper-level nodes missing after a crash (bounded by the torn tail), then loads the
   * frontier. The tree's size is the store's leaf count; the caller compares it with its log and
   * appends what is missing or {@link #truncate truncates} what is ahead.
   */
  public static MerkleTree open(MerkleHashes store) {
    Checks.checkNotNull(store, "store");
    MerkleTree tree = new MerkleTree(store);
    tree.repair();
    return tree;
  }

  /** A tree in memory ({@link MemoryMerkleHashes}). */
  public static MerkleTree inMemory() {
    return open(new MemoryMerkleHashes());
  }

  private void repair() {
    long leaves = store.leafCount();
    store.truncate(leaves);
    for (int level = 1; level < MerkleHash.MAX_LEVELS; level++) {
      long want = leaves >>> level;
      long have = store.count(level);
      Checks.checkState(have <= want, "have", have, "want", want);
      for (long j = have; j < want; j++) {
        byte[] left = store.node(level - 1, 2 * j);
        byte[] right = store.node(level - 1, 2 * j + 1);
        store.append(level, MerkleHash.nodeHash(left, right));
      }
    }
    size = leaves;
    loadFrontier();
  }

  private void loadFrontier() {
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      frontier[level] =
          ((size >>> level) & 1) == 1 ? store.node(level, (size >>> level) - 1) : null;
    }
    root = null;
  }

  /** The number of leaves. */
  public synchronized long size() {
    return size;
  }

  /** Appends the leaf with {@code data}: its leaf hash is SHA-256(0x00 || data). */
  public synchronized void appendLeafData(byte[] data) {
    append(MerkleHash.leafHash(data));
  }

  /** Appends a 32-byte leaf hash as leaf number {@link #size()}. */
  public synchronized void append(byte[] leafHash) {
    MerkleHash.checkHash(leafHash, "leafHash");
    Checks.checkState(size < Long.MAX_VALUE, "size", size);
    store.append(0, leafHash);
    byte[] hash = leafHash.clone();
    long index = size;
    int level = 0;
    while ((index & 1) == 1) {
      Checks.checkState(frontier[level] != null, "level", level);
      hash = MerkleHash.nodeHash(frontier[level], hash);
      frontier[level] = null;
      level++;
      index >>>= 1;
      store.append(level, hash);
    }
    frontier[level] = hash;
    size++;
    root = null;
    Checks.checkState(store.count(level) == size >>> level, "level", level, "size", size);
  }

  /** The current root hash (MTH of all leaves); the empty tree's root is SHA-256(). */
  public synchronized byte[] root() {
    if (root == null) {
      byte[] r = null;
      for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
        if (frontier[level] != null) {
          r = r == null ? frontier[level] : MerkleHash.nodeHash(frontier[level], r);
        }
      }
      root = r == null ? MerkleHash.emptyRoot() : r;
    }
    return root.clone();
  }

  /** The root of the first {@code treeSize} leaves, from O(log n) stored hashes. */
  public synchronized byte[] rootAt(long treeSize) {
    checkSize(treeSize, "treeSize");
    return treeSize == 0 ? MerkleHash.emptyRoot() : rangeHash(0, treeSize);
  }

  /** The stored hash of leaf {@code index}. */
  public synchronized byte[] leafHash(long index) {
    if (index < 0 || index >= size) {
      throw new BadRequestException(
          "no leaf " + index + " in a Merkle tree of " + size + " leaves");
    }
    return store.node(0, index);
  }

  /**
   * The RFC 6962 inclusion proof (PATH) of leaf {@code index} in the tree of the first {@code
   * treeSize} leaves: hashes from the leaf's sibling up to the root's child.
   */
  public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
    checkSize(treeSize, "treeSize");
    if (index < 0 || index >= treeSize) {
      throw new BadRequestException(
          "leaf index " + index + " is not in a tree of size " + treeSize);
    }
    List<byte[]> path = new ArrayList<>();
    long lo = 0;
    long hi = treeSize;
    for (int step = 0; hi - lo > 1; step++) {
      Checks.checkState(step < MerkleHash.MAX_LEVELS, "step", step);
      long k = MerkleHash.split(hi - lo);
      if (index < lo + k) {
        path.add(rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        path.add(perfect(lo, k));
        lo += k;
      }
    }
    Collections.reverse(path);
    return path;
  }

  /**
   * The RFC 6962 consistency proof (PROOF) from the tree of the first {@code size1} leaves to the
   * tree of the first {@code size2} leaves; empty when the sizes are equal. {@code size1 >= 1}: a
   * proof from the empty tree is meaningless (every tree extends it) and is refused.
   */
  public synchronized List<byte[]> consistencyProof(long size1, long size2) {
    checkSize(size2, "size2");
    if (size1 < 1 || size1 > size2) {
      throw new BadRequestException(
          "no consistency proof from tree size "
              + size1
              + " to "
              + size2
              + ": need 1 <= size1 <= size2");
    }
    List<byte[]> proof = new ArrayList<>();
    long lo = 0;
    long hi = size2;
    boolean whole = true;
    for (int step = 0; ; step++) {
      Checks.checkState(step <= MerkleHash.MAX_LEVELS, "step", step);
      if (size1 == hi) {
        if (!whole) {
          proof.add(rangeHash(lo, hi));
        }
        break;
      }
      long k = MerkleHash.split(hi - lo);
      if (size1 <= lo + k) {
        proof.add(rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        proof.add(perfect(lo, k));
        lo += k;
        whole = false;
      }
    }
    Collections.reverse(proof);
    return proof;
  }

  /**
   * Recomputes every stored upper-level node from its two children and compares (O(n) reads; every
   * read also checks the stored checksum). Returns the number of nodes checked; a mismatch is a
   * {@link CorruptionException} naming the node. The leaf hashes themselves are the caller's to
   * compare with the log.
   */
  public synchronized long verifyStoredNodes() {
    long checked = 0;
    for (int level = 1; level < MerkleHash.MAX_LEVELS && (size >>> level) > 0; level++) {
      long count = size >>> level;
      for (long j = 0; j < count; j++) {
        byte[] expected =
            MerkleHash.nodeHash(store.node(level - 1, 2 * j), store.node(level - 1, 2 * j + 1));
        if (!Arrays.equals(expected, store.node(level, j))) {
          throw new CorruptionException(
              "Merkle node (level "
                  + level
                  + ", index "
                  + j
                  + ") does not match the hash of its two children");
        }
        checked++;
      }
    }
    return checked;
  }

  /** Drops the leaves from {@code newSize} on (the log lost its tail); no-op when not smaller. */
  public synchronized void truncate(long newSize) {
    Checks.checkArgument(newSize >= 0, "newSize", newSize);
    if (newSize < size) {
      store.truncate(newSize);
      size = newSize;
      loadFrontier();
    }
  }

  /** Makes every append durable. */
  public synchronized void sync() {
    store.sync();
  }

  @Override
  public synchronized void close() {
    store.close();
  }

  private void checkSize(long treeSize, String name) {
    if (treeSize < 0 || treeSize > size) {
      throw new BadRequestException(
          name + " " + treeSize + " is beyond the Merkle tree's " + size + " leaves");
    }
  }

  /**
   * The stored root of the perfect subtree of {@code k} (a power of two) leaves from {@code lo}.
   */
  private byte[] perfect(long lo, long k) {
    int level = Long.numberOfTrailingZeros(k);
    Checks.checkState(Long.bitCount(k) == 1 && (lo & (k - 1)) == 0, "lo", lo, "k", k);
    return store.node(level, lo >>> level);
  }

  /**
   * MTH(D[lo:hi]) for a range whose start is aligned to a power of two at least its length (every
   * range RFC 6962's recursion visits): the perfect subtrees of the binary digits of its length,
   * largest first, folded from the right.
   */
  private byte[] rangeHash(long lo, long hi) {
    Checks.checkState(lo < hi, "lo", lo, "hi", hi);
    byte[][] parts = new byte[MerkleHash.MAX_LEVELS][];
    int count = 0;
    long at = lo;
    while (at < hi) {
      long k = Long.highestOneBit(hi - at);
      parts[count++] = perfect(at, k);
      at += k;
    }
    byte[] hash = parts[count - 1];
    for (int i = count - 2; i >= 0; i--) {
      hash = MerkleHash.nodeHash(parts[i], hash);
    }
    return hash;
  }
}
