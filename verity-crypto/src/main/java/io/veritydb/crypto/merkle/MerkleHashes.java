package io.veritydb.crypto.merkle;

/**
 * Storage of the hashes of a Merkle tree's perfect subtrees, level by level: level 0 holds the leaf
 * hashes, level {@code L} holds the hash of every complete subtree of {@code 2^L} leaves, node
 * {@code (L, j)} covering leaves {@code [j * 2^L, (j + 1) * 2^L)}. With these stored, a proof or a
 * past root needs O(log n) reads and no recomputation.
 *
 * <p>{@link MerkleTree} is the only writer: it appends node {@code (L, count(L))} once both
 * children exist, so that after each whole append {@code count(L) == leafCount() >> L}. After a
 * crash a level may be shorter (a torn or unsynced tail) or longer than that; {@link
 * MerkleTree#open} truncates and recomputes the upper levels from the level below. Implementations:
 * {@link MemoryMerkleHashes}, {@link FileMerkleHashes}; the lead may write others (e.g. inside a
 * log segment). Not thread-safe: {@link MerkleTree} serializes access.
 */
public interface MerkleHashes extends AutoCloseable {
  /** The number of leaf hashes stored (the size of level 0). */
  default long leafCount() {
    return count(0);
  }

  /** The number of node hashes stored at {@code level} (0 for a level never written). */
  long count(int level);

  /**
   * A copy of the 32-byte hash of node {@code (level, index)}; {@code index < count(level)}. A
   * stored hash that fails its checksum is a {@link io.veritydb.types.CorruptionException}.
   */
  byte[] node(int level, long index);

  /** Appends {@code hash} as node {@code (level, count(level))}. */
  void append(int level, byte[] hash);

  /** Keeps at most {@code leafCount >> L} nodes at every level {@code L}. */
  void truncate(long leafCount);

  /** Makes every append so far durable. */
  void sync();

  @Override
  void close();
}
