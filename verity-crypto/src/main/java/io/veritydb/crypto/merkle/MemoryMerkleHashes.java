package io.veritydb.crypto.merkle;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import java.util.Arrays;

/**
 * {@link MerkleHashes} in memory (tests, tools, small trees); about 64 bytes per leaf in all. At
 * most {@link #MAX_LEAVES} leaves.
 */
public final class MemoryMerkleHashes implements MerkleHashes {
  /** The bound on leaves, so that level 0 fits in one byte array. */
  public static final long MAX_LEAVES = (Integer.MAX_VALUE - 64) / MerkleHash.LENGTH;

  private final byte[][] levels = new byte[MerkleHash.MAX_LEVELS][];
  private final long[] counts = new long[MerkleHash.MAX_LEVELS];

  @Override
  public long count(int level) {
    checkLevel(level);
    return counts[level];
  }

  @Override
  public byte[] node(int level, long index) {
    checkLevel(level);
    Checks.checkArgument(index >= 0 && index < counts[level], "index", index, "level", level);
    int from = Math.toIntExact(index * MerkleHash.LENGTH);
    return Arrays.copyOfRange(levels[level], from, from + MerkleHash.LENGTH);
  }

  @Override
  public void append(int level, byte[] hash) {
    checkLevel(level);
    MerkleHash.checkHash(hash, "hash");
    if (counts[level] >= MAX_LEAVES) {
      throw new BadRequestException("in-memory Merkle tree is full: " + MAX_LEAVES + " leaves");
    }
    int at = Math.toIntExact(counts[level] * MerkleHash.LENGTH);
    byte[] data = levels[level];
    if (data == null || data.length < at + MerkleHash.LENGTH) {
      long grown = Math.max(1024L, data == null ? 0L : 2L * data.length);
      int capacity = (int) Math.min(grown, MAX_LEAVES * MerkleHash.LENGTH);
      data = data == null ? new byte[capacity] : Arrays.copyOf(data, capacity);
      levels[level] = data;
    }
    System.arraycopy(hash, 0, data, at, MerkleHash.LENGTH);
    counts[level]++;
  }

  @Override
  public void truncate(long leafCount) {
    Checks.checkArgument(leafCount >= 0, "leafCount", leafCount);
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      counts[level] = Math.min(counts[level], leafCount >>> level);
    }
  }

  @Override
  public void sync() {}

  @Override
  public void close() {}

  private static void checkLevel(int level) {
    Checks.checkArgument(level >= 0 && level < MerkleHash.MAX_LEVELS, "level", level);
  }
}
