package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MerkleFileCheckTest {
  private static final int LEAVES = 5_000;

  @TempDir Path dir;

  private static byte[] leaf(int i) {
    return MerkleHash.leafHash(("record " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A fresh directory of level files holding the tree of {@code n} leaves, synced. */
  private void writeTree(int n) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    try (MerkleTree tree = MerkleTree.open(FileMerkleHashes.open(NioFileIo.INSTANCE, dir))) {
      for (int i = 0; i < n; i++) {
        tree.append(leaf(i));
      }
      tree.sync();
    }
  }

  private List<String> check(int n, long[] counts) {
    return check(n, n, counts);
  }

  private List<String> check(int n, long synced, long[] counts) {
    try (MerkleFileCheck check = MerkleFileCheck.open(NioFileIo.INSTANCE, dir, synced)) {
      for (int i = 0; i < n; i++) {
        check.append(leaf(i));
      }
      List<String> problems = check.finish();
      counts[0] = check.nodesChecked();
      counts[1] = check.missingNodes();
      return problems;
    }
  }

  private static long nodes(long leaves) {
    long total = 0;
    for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
      total += leaves >>> level;
    }
    return total;
  }

  private void flip(int level, long offset) throws IOException {
    try (RandomAccessFile f =
        new RandomAccessFile(FileMerkleHashes.fileName(dir, level).toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x04);
    }
  }

  private static void assertOneProblem(List<String> problems, String... fragments) {
    assertEquals(1, problems.size(), problems.toString());
    for (String fragment : fragments) {
      assertTrue(problems.get(0).contains(fragment), problems.get(0));
    }
  }

  @Test
  void shouldPassFilesThatHoldExactlyTheRecomputedTree() throws IOException {
    writeTree(LEAVES);
    long[] counts = new long[2];
    try (MerkleFileCheck check = MerkleFileCheck.open(NioFileIo.INSTANCE, dir, LEAVES)) {
      MerkleTree reference = MerkleTree.inMemory();
      for (int i = 0; i < LEAVES; i++) {
        check.append(leaf(i));
        reference.append(leaf(i));
      }
      assertEquals(List.of(), check.finish());
      assertEquals(LEAVES, check.size());
      assertArrayEquals(reference.root(), check.root());
      counts[0] = check.nodesChecked();
      counts[1] = check.missingNodes();
    }
    assertEquals(nodes(LEAVES), counts[0]);
    assertEquals(0, counts[1]);
  }

  @Test
  void shouldNameFileNodeAndOffsetOfAFlippedByteInAStoredHash() throws IOException {
    writeTree(LEAVES);
    long offset = MerkleHashFileLayout.recordOffset(3210) + 5;
    flip(0, offset);
    assertOneProblem(
        check(LEAVES, new long[2]),
        "merkle-00.hashes",
        "checksum mismatch",
        "level 0, index 3210",
        "offset " + MerkleHashFileLayout.recordOffset(3210));
    // A level held in memory by the runtime (10 and up) is checked the same way.
    writeTree(LEAVES);
    flip(11, MerkleHashFileLayout.recordOffset(1) + 33);
    assertOneProblem(check(LEAVES, new long[2]), "merkle-11.hashes", "level 11, index 1");
  }

  @Test
  void shouldReportADamagedHeader() throws IOException {
    writeTree(300);
    flip(2, 13);
    assertOneProblem(check(300, new long[2]), "merkle-02.hashes", "offset 0");
  }

  @Test
  void shouldLeaveADamagedRecordAfterTheSyncedLeavesToTheOpenWhichCutsIt() throws IOException {
    writeTree(300);
    flip(0, MerkleHashFileLayout.recordOffset(200) + 3);
    long[] counts = new long[2];
    assertEquals(List.of(), check(300, 100, counts));
    assertEquals(100, counts[1], "leaves 200..299 are derived again");
    try (MerkleTree reopened =
        MerkleTree.open(FileMerkleHashes.open(NioFileIo.INSTANCE, dir, 100))) {
      assertEquals(200, reopened.size(), "the open cuts the file where the check said");
    }
    flip(0, MerkleHashFileLayout.recordOffset(150) + 3);
    assertOneProblem(check(300, 300, new long[2]), "merkle-00.hashes", "level 0, index 150");
  }

  @Test
  void shouldReportANodeWithAValidChecksumThatIsNotTheRecomputedOne() throws IOException {
    writeTree(300);
    // Rewrite node (1, 17) with another hash and a checksum that matches it.
    byte[] other = MerkleHash.leafHash(new byte[] {9});
    ByteBuffer record = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
    record.put(0, other);
    record.putInt(32, MerkleHashFileLayout.recordCrc(1, 17, other, 0));
    try (RandomAccessFile f =
        new RandomAccessFile(FileMerkleHashes.fileName(dir, 1).toFile(), "rw")) {
      f.seek(MerkleHashFileLayout.recordOffset(17));
      f.write(record.array());
    }
    assertOneProblem(
        check(300, new long[2]),
        "merkle-01.hashes",
        "level 1, index 17",
        "recomputed from the log");
  }

  @Test
  void shouldReportLeavesBeyondTheLog() throws IOException {
    writeTree(300);
    assertOneProblem(
        check(250, 0, new long[2]),
        "merkle-00.hashes",
        "index 250",
        "offset " + MerkleHashFileLayout.recordOffset(250));
  }

  @Test
  void shouldLeaveAPartialRecordAndUpperNodesBeyondTheLeavesToTheOpen() throws IOException {
    writeTree(300);
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    try (RandomAccessFile f = new RandomAccessFile(level0.toFile(), "rw")) {
      f.setLength(f.length() - 7);
    }
    long[] counts = new long[2];
    assertEquals(List.of(), check(300, 0, counts));
    assertEquals(1, counts[1]);
  }

  @Test
  void shouldCountMissingTailsAndFilesWithoutReportingThem() throws IOException {
    writeTree(300);
    Path level0 = FileMerkleHashes.fileName(dir, 0);
    try (RandomAccessFile f = new RandomAccessFile(level0.toFile(), "rw")) {
      f.setLength(MerkleHashFileLayout.recordOffset(200));
    }
    Files.delete(FileMerkleHashes.fileName(dir, 3));
    long[] counts = new long[2];
    assertEquals(List.of(), check(300, counts));
    assertEquals(100 + (300 >> 3), counts[1]);
    assertEquals(nodes(300) - counts[1], counts[0]);
  }
}
