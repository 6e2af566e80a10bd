package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A level file that cannot grow (the disk is full) fails every call that writes with an {@link
 * UnavailableException} naming the file, however often it is called; nodes already stored stay
 * readable, and a reopen once space is back holds a tree the log can be appended to again.
 */
class MerkleDiskFullTest {
  private static final Path DIR = Path.of("/data/merkle");

  private static byte[] leaf(int i) {
    return MerkleHash.leafHash(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
  }

  private static MerkleTree memoryTree(int n) {
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < n; i++) {
      tree.append(leaf(i));
    }
    return tree;
  }

  @Test
  void shouldFailEveryWriteWithAnUnavailableExceptionNamingTheFileWhenTheDiskIsFull() {
    SimFileIo io = new SimFileIo(11);
    MerkleTree tree = MerkleTree.open(FileMerkleHashes.open(io, DIR));
    // 4096 leaves: the files of levels 0 to 12 exist, and the next one is created at 8192 leaves.
    int synced = 4096;
    for (int i = 0; i < synced; i++) {
      tree.append(leaf(i));
    }
    tree.sync();
    io.setDiskBudget(io.usedBytes());

    // Level 0 buffers LevelFile.BUFFER_RECORDS records; the append that must write them fails.
    int appended = synced;
    UnavailableException full = null;
    while (full == null && appended < synced + 2 * LevelFile.BUFFER_RECORDS) {
      try {
        tree.append(leaf(appended));
        appended++;
      } catch (UnavailableException e) {
        full = e;
      }
    }
    assertTrue(full != null, "the disk never filled up");
    assertTrue(full.getMessage().contains("merkle-00.hashes"), full.getMessage());
    assertTrue(full.getMessage().contains("disk full"), full.getMessage());
    assertEquals(appended, tree.size(), "the leaf whose append failed is not in the tree");

    // Every later write fails the same clear way; none fails with a broken buffer.
    for (int i = 0; i < 3; i++) {
      UnavailableException again =
          assertThrows(UnavailableException.class, () -> tree.append(leaf(9000)));
      assertTrue(again.getMessage().contains("merkle-00.hashes"), again.getMessage());
    }
    UnavailableException sync = assertThrows(UnavailableException.class, tree::sync);
    assertTrue(sync.getMessage().contains("merkle-00.hashes"), sync.getMessage());

    // What is stored stays readable: proofs within the synced tree still come out right.
    MerkleTree reference = memoryTree(appended);
    assertArrayEquals(reference.rootAt(synced), tree.rootAt(synced));
    assertEquals(
        MerkleTreeTestSupport.hex(reference.inclusionProof(42, synced)),
        MerkleTreeTestSupport.hex(tree.inclusionProof(42, synced)));
    tree.close();

    io.setDiskBudget(Long.MAX_VALUE);
    try (MerkleTree reopened = MerkleTree.open(FileMerkleHashes.open(io, DIR, synced))) {
      long size = reopened.size();
      assertTrue(size >= synced && size <= appended, "size=" + size);
      for (int i = (int) size; i < appended + 10; i++) {
        reopened.append(leaf(i));
      }
      reopened.sync();
      assertArrayEquals(memoryTree(appended + 10).root(), reopened.root());
    }
  }

  @Test
  void shouldNameTheFileWhenALevelFileCannotBeCreated() {
    SimFileIo io = new SimFileIo(12);
    MerkleTree tree = MerkleTree.open(FileMerkleHashes.open(io, DIR));
    tree.append(leaf(0));
    tree.sync();
    io.setDiskBudget(io.usedBytes());
    // The second leaf completes the first level-1 node: merkle-01.hashes cannot get its header.
    UnavailableException e = assertThrows(UnavailableException.class, () -> tree.append(leaf(1)));
    assertTrue(e.getMessage().contains("merkle-01.hashes"), e.getMessage());
    assertThrows(UnavailableException.class, () -> tree.append(leaf(2)));
    tree.close();
  }
}
