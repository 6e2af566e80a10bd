package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.CorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMerkleHashesTest {
  @TempDir Path dir;

  private static byte[] leaf(int i) {
    return MerkleHash.leafHash(("record " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static MerkleTree memoryTree(int n) {
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < n; i++) {
      tree.append(leaf(i));
    }
    return tree;
  }

  private MerkleTree fileTree() {
    return MerkleTree.open(FileMerkleHashes.open(NioFileIo.INSTANCE, dir));
  }

  private MerkleTree fileTree(long syncedLeaves) {
    return MerkleTree.open(FileMerkleHashes.open(NioFileIo.INSTANCE, dir, syncedLeaves));
  }

  /** Zeroes the 512-byte sector holding record {@code index} of {@code level}, as a lost write. */
  private void loseSectorOf(int level, long index) throws IOException {
    long sector = MerkleHashFileLayout.recordOffset(index) / 512 * 512;
    try (RandomAccessFile f =
        new RandomAccessFile(FileMerkleHashes.fileName(dir, level).toFile(), "rw")) {
      f.seek(sector);
      f.write(new byte[(int) Math.min(512, f.length() - sector)]);
    }
  }

  private MerkleTree writeFileTree(int n) {
    MerkleTree tree = fileTree();
    for (int i = 0; i < n; i++) {
      tree.append(leaf(i));
    }
    tree.sync();
    return tree;
  }

  private static void assertSameTree(MerkleTree expected, MerkleTree actual, long seed) {
    assertEquals(expected.size(), actual.size());
    assertArrayEquals(expected.root(), actual.root());
    Random random = new Random(seed);
    for (int t = 0; t < 50 && expected.size() > 0; t++) {
      long size = 1L + random.nextInt((int) expected.size());
      long index = random.nextInt((int) size);
      assertArrayEquals(expected.rootAt(size), actual.rootAt(size));
      assertEquals(
          MerkleTreeTestSupport.hex(expected.inclusionProof(index, size)),
          MerkleTreeTestSupport.hex(actual.inclusionProof(index, size)),
          "seed=" + seed);
      long size1 = 1L + random.nextInt((int) size);
      assertEquals(
          MerkleTreeTestSupport.hex(expected.consistencyProof(size1, size)),
          MerkleTreeTestSupport.hex(actual.consistencyProof(size1, size)),
          "seed=" + seed);
    }
  }

  @Test
  void shouldServeProofsBeforeAndAfterSyncAndAfterReopen() {
    int n = 5_000;
    MerkleTree memory = memoryTree(n);
    MerkleTree tree = fileTree();
    for (int i = 0; i < n; i++) {
      tree.append(leaf(i));
    }
    assertSameTree(memory, tree, 1);
    tree.sync();
    assertSameTree(memory, tree, 2);
    tree.close();
    try (MerkleTree reopened = fileTree()) {
      assertSameTree(memory, reopened, 3);
      reopened.append(leaf(n));
      MerkleTree bigger = memoryTree(n + 1);
      assertSameTree(bigger, reopened, 4);
    }
  }

  @Test
  void shouldCutAPartialRecordAtTheTailAndRepairUpperLevels() throws IOException {
    writeFileTree(1000).close();
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    try (RandomAccessFile f = new RandomAccessFile(level0.toFile(), "rw")) {
      f.setLength(f.length() - 10);
    }
    try (MerkleTree reopened = fileTree()) {
      assertSameTree(memoryTree(999), reopened, 5);
      assertEquals(
          MerkleHashFileLayout.recordOffset(999), Files.size(level0), "torn tail truncated");
    }
  }

  @Test
  void shouldDropAZeroFilledTailWhoseChecksumsFail() throws IOException {
    writeFileTree(300).close();
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    try (RandomAccessFile f = new RandomAccessFile(level0.toFile(), "rw")) {
      f.setLength(f.length() + 3L * MerkleHashFileLayout.RECORD_LENGTH);
    }
    try (MerkleTree reopened = fileTree()) {
      assertSameTree(memoryTree(300), reopened, 6);
    }
  }

  @Test
  void shouldRecomputeUpperLevelsThatAreMissingOrBehind() throws IOException {
    writeFileTree(777).close();
    Files.delete(FileMerkleHashes.fileName(dir, 3));
    try (RandomAccessFile f =
        new RandomAccessFile(FileMerkleHashes.fileName(dir, 1).toFile(), "rw")) {
      f.setLength(MerkleHashFileLayout.recordOffset(100));
    }
    try (MerkleTree reopened = fileTree()) {
      assertSameTree(memoryTree(777), reopened, 7);
    }
    try (MerkleTree again = fileTree()) {
      assertSameTree(memoryTree(777), again, 8);
    }
  }

  @Test
  void shouldDropUpperNodesWhoseLeavesWereLost() throws IOException {
    writeFileTree(64).close();
    try (RandomAccessFile f =
        new RandomAccessFile(FileMerkleHashes.fileName(dir, 0).toFile(), "rw")) {
      f.setLength(MerkleHashFileLayout.recordOffset(61));
    }
    try (MerkleTree reopened = fileTree()) {
      assertSameTree(memoryTree(61), reopened, 9);
      for (int i = 61; i < 70; i++) {
        reopened.append(leaf(i));
      }
      assertSameTree(memoryTree(70), reopened, 10);
    }
  }

  @Test
  void shouldReportAFlippedBitInAStoredHashWithFileAndOffset() throws IOException {
    writeFileTree(100).close();
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    long offset = MerkleHashFileLayout.recordOffset(40) + 7;
    try (RandomAccessFile f = new RandomAccessFile(level0.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x10);
    }
    try (MerkleTree reopened = fileTree(100)) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> reopened.leafHash(40));
      assertTrue(e.getMessage().contains("merkle-00.hashes"), e.getMessage());
      assertTrue(e.getMessage().contains("index 40"), e.getMessage());
      assertThrows(CorruptionException.class, () -> reopened.inclusionProof(41, 100));
      assertArrayEquals(memoryTree(100).root(), reopened.root());
    }
  }

  @Test
  void shouldFindAStoredNodeThatDoesNotMatchItsChildren() {
    writeFileTree(64).close();
    try (MerkleTree reopened = fileTree()) {
      assertEquals(63, reopened.verifyStoredNodes());
    }
    // Rewrite leaves 4..7 through the store itself (valid checksums) with a wrong level-2 node.
    MerkleHashes hashes = FileMerkleHashes.open(NioFileIo.INSTANCE, dir);
    hashes.truncate(4);
    hashes.append(0, leaf(4));
    hashes.append(0, leaf(5));
    hashes.append(1, MerkleHash.nodeHash(leaf(4), leaf(5)));
    hashes.append(0, leaf(6));
    hashes.append(0, leaf(7));
    hashes.append(1, MerkleHash.nodeHash(leaf(6), leaf(7)));
    hashes.append(2, MerkleHash.leafHash(new byte[] {42}));
    hashes.append(3, MerkleHash.leafHash(new byte[] {43}));
    hashes.sync();
    hashes.close();
    try (MerkleTree bad = fileTree()) {
      assertEquals(8, bad.size());
      CorruptionException e = assertThrows(CorruptionException.class, bad::verifyStoredNodes);
      assertTrue(e.getMessage().contains("level 2, index 1"), e.getMessage());
    }
  }

  @Test
  void shouldCheckTheUpperLevelsItHoldsInMemoryWhenOpening() throws IOException {
    writeFileTree(5000).close();
    Path level10 = FileMerkleHashes.fileName(dir, LevelFile.CACHED_FROM_LEVEL);
    assertEquals(MerkleHashFileLayout.recordOffset(4), Files.size(level10));
    long offset = MerkleHashFileLayout.recordOffset(1) + 3;
    try (RandomAccessFile f = new RandomAccessFile(level10.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x01);
    }
    CorruptionException e =
        assertThrows(
            CorruptionException.class, () -> FileMerkleHashes.open(NioFileIo.INSTANCE, dir, 5000));
    assertTrue(e.getMessage().contains("level 10, index 1"), e.getMessage());
  }

  @Test
  void shouldRefuseAFileThatIsNotALevelFile() throws IOException {
    writeFileTree(10).close();
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    try (RandomAccessFile f = new RandomAccessFile(level0.toFile(), "rw")) {
      f.seek(0);
      f.write('X');
    }
    CorruptionException e =
        assertThrows(
            CorruptionException.class, () -> FileMerkleHashes.open(NioFileIo.INSTANCE, dir));
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void shouldCutAtAHoleBelowGoodRecordsInTheUnsyncedPartAndRepairUpperLevels() throws IOException {
    writeFileTree(3000).close();
    loseSectorOf(0, 2000); // records 1998..2011 of level 0 read as zeros, good ones after them
    loseSectorOf(1, 800); // below the level-0 cut: level 1 is recomputed from level 0
    loseSectorOf(3, 150);
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    long cut = (MerkleHashFileLayout.recordOffset(2000) / 512 * 512 - 32) / 36; // 1990
    try (MerkleTree reopened = fileTree(1000)) {
      assertEquals(1990, cut);
      assertEquals(cut, reopened.size(), "cut at the first lost record");
      assertEquals(MerkleHashFileLayout.recordOffset(cut), Files.size(level0));
      assertEquals(cut - Long.bitCount(cut), reopened.verifyStoredNodes());
      assertSameTree(memoryTree((int) cut), reopened, 12);
      for (long i = cut; i < 3000; i++) {
        reopened.append(leaf((int) i));
      }
      assertSameTree(memoryTree(3000), reopened, 13);
      reopened.sync();
    }
    try (MerkleTree again = fileTree(3000)) {
      assertSameTree(memoryTree(3000), again, 14);
      assertEquals(3000 - Long.bitCount(3000), again.verifyStoredNodes());
    }
  }

  @Test
  void shouldCheckEveryRecordWhenNothingIsKnownSynced() throws IOException {
    writeFileTree(2000).close();
    loseSectorOf(0, 20); // the second sector: records 13 (its last 24 bytes) to 27
    try (MerkleTree reopened = fileTree()) {
      assertEquals(13, reopened.size());
      assertEquals(
          MerkleHashFileLayout.recordOffset(13), Files.size(FileMerkleHashes.fileName(dir, 0)));
      assertSameTree(memoryTree(13), reopened, 15);
    }
  }

  @Test
  void shouldStayLoudAboutAHoleInTheSyncedPart() throws IOException {
    writeFileTree(3000).close();
    loseSectorOf(0, 500);
    loseSectorOf(1, 900);
    try (MerkleTree reopened = fileTree(2500)) {
      assertEquals(3000, reopened.size(), "nothing is cut below the synced leaves");
      CorruptionException e = assertThrows(CorruptionException.class, () -> reopened.leafHash(500));
      assertTrue(e.getMessage().contains("merkle-00.hashes"), e.getMessage());
      assertTrue(e.getMessage().contains("index 500"), e.getMessage());
      assertThrows(CorruptionException.class, () -> reopened.inclusionProof(1801, 3000));
      assertThrows(CorruptionException.class, reopened::verifyStoredNodes);
    }
  }

  @Test
  void shouldTruncateTheFilesWhenTheLogLostItsTail() {
    MerkleTree tree = writeFileTree(500);
    tree.truncate(123);
    tree.sync();
    tree.close();
    try (MerkleTree reopened = fileTree()) {
      assertSameTree(memoryTree(123), reopened, 11);
    }
  }
}
