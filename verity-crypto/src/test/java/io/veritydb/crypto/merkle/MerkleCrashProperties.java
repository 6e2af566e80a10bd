package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.simdisk.SimFileIo;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Crashes a file-backed tree on the simulated disk at random points (power loss, torn writes,
 * process death) and checks that reopening keeps every synced leaf, no more leaves than were
 * appended, and a tree identical to the in-memory one of that size; then the missing leaves are
 * appended again, as the runtime does from its log. The reopening is told how many leaves were
 * synced, as the runtime tells it its newest checkpoint's size: under {@link
 * SimFileIo.CrashMode#SCATTERED} a hole may sit anywhere after them.
 */
class MerkleCrashProperties {
  private static final Path DIR = Path.of("/data/merkle");

  private static byte[] leaf(int i) {
    return MerkleHash.leafHash(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
  }

  @Property(tries = 60)
  void shouldRecoverEverySyncedLeafAfterAnyCrash(
      @ForAll long seed, @ForAll SimFileIo.CrashMode mode) {
    Random random = new Random(seed);
    SimFileIo io = new SimFileIo(seed);
    int total = 1 + random.nextInt(6000);
    MerkleTree reference = MerkleTree.inMemory();
    for (int i = 0; i < total; i++) {
      reference.append(leaf(i));
    }
    MerkleTree tree = MerkleTree.open(FileMerkleHashes.open(io, DIR));
    long synced = 0;
    for (int i = 0; i < total; i++) {
      tree.append(leaf(i));
      if (random.nextInt(1500) == 0) {
        tree.sync();
        synced = i + 1L;
      }
    }
    io.crash(mode);
    String where = "seed=" + seed + " mode=" + mode + " synced=" + synced + " total=" + total;

    MerkleTree reopened = MerkleTree.open(FileMerkleHashes.open(io, DIR, synced));
    long size = reopened.size();
    assertTrue(size >= synced && size <= total, where + " size=" + size);
    assertArrayEquals(reference.rootAt(size), reopened.root(), where);
    if (size > 0) {
      long index = random.nextInt((int) size);
      assertEquals(
          MerkleTreeTestSupport.hex(reference.inclusionProof(index, size)),
          MerkleTreeTestSupport.hex(reopened.inclusionProof(index, size)),
          where);
      assertEquals(size - Long.bitCount(size), reopened.verifyStoredNodes(), where);
    }
    for (long i = size; i < total; i++) {
      reopened.append(leaf((int) i));
    }
    reopened.sync();
    assertArrayEquals(reference.root(), reopened.root(), where);
    List<byte[]> proof = reopened.consistencyProof(Math.max(1, size), total);
    assertTrue(
        MerkleVerifier.verifyConsistency(
            Math.max(1, size), total, proof, reference.rootAt(Math.max(1, size)), reopened.root()),
        where);
  }
}
