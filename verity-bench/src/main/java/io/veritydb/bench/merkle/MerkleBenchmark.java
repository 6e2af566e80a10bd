package io.veritydb.bench.merkle;

import io.veritydb.crypto.merkle.FileMerkleHashes;
import io.veritydb.crypto.merkle.MerkleHash;
import io.veritydb.crypto.merkle.MerkleTree;
import io.veritydb.crypto.merkle.MerkleVerifier;
import io.veritydb.io.NioFileIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Merkle tree over a file-backed store ({@link FileMerkleHashes} through {@link NioFileIo}) of
 * {@link #leaves} leaves: appending a leaf hash (buffered, no fsync per leaf), producing an
 * inclusion or consistency proof for a random index or size (O(log n) stored-hash reads, warm page
 * cache), and verifying one with the stand-alone {@link MerkleVerifier}.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main MerkleBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 * (add {@code -p leaves=10000000} for 10M leaves: about 720 MB of level files in java.io.tmpdir).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class MerkleBenchmark {
  @Param({"1000000"})
  public long leaves;

  static final int PREPARED = 1024;

  Path dir;
  MerkleTree tree;
  SplittableRandom random;
  byte[] root;
  byte[] nextLeaf;
  long[] index = new long[PREPARED];
  byte[][] leafHash = new byte[PREPARED][];
  List<List<byte[]>> inclusion = new ArrayList<>();
  long[] size1 = new long[PREPARED];
  byte[][] root1 = new byte[PREPARED][];
  List<List<byte[]>> consistency = new ArrayList<>();
  int next;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("verity-merkle-bench");
    tree = MerkleTree.open(FileMerkleHashes.open(NioFileIo.INSTANCE, dir));
    SplittableRandom data = new SplittableRandom(7);
    byte[] leaf = new byte[MerkleHash.LENGTH];
    for (long i = 0; i < leaves; i++) {
      for (int b = 0; b < leaf.length; b += 8) {
        long v = data.nextLong();
        for (int k = 0; k < 8; k++) {
          leaf[b + k] = (byte) (v >>> (8 * k));
        }
      }
      tree.append(leaf);
    }
    tree.sync();
    root = tree.root();
    random = new SplittableRandom(42);
    for (int i = 0; i < PREPARED; i++) {
      index[i] = random.nextLong(leaves);
      leafHash[i] = tree.leafHash(index[i]);
      inclusion.add(tree.inclusionProof(index[i], leaves));
      size1[i] = 1 + random.nextLong(leaves - 1);
      root1[i] = tree.rootAt(size1[i]);
      consistency.add(tree.consistencyProof(size1[i], leaves));
    }
    nextLeaf = MerkleHash.leafHash(new byte[] {1, 2, 3});
  }

  @TearDown
  public void tearDown() throws IOException {
    tree.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Appends one leaf hash to the tree (which grows during the run). */
  @Benchmark
  public byte[] appendLeaf() {
    tree.append(nextLeaf);
    return nextLeaf;
  }

  @Benchmark
  public List<byte[]> inclusionProof() {
    return tree.inclusionProof(random.nextLong(leaves), leaves);
  }

  @Benchmark
  public boolean verifyInclusion() {
    int i = next++ & (PREPARED - 1);
    return MerkleVerifier.verifyInclusion(leafHash[i], index[i], leaves, inclusion.get(i), root);
  }

  @Benchmark
  public List<byte[]> consistencyProof() {
    return tree.consistencyProof(1 + random.nextLong(leaves - 1), leaves);
  }

  @Benchmark
  public boolean verifyConsistency() {
    int i = next++ & (PREPARED - 1);
    return MerkleVerifier.verifyConsistency(size1[i], leaves, consistency.get(i), root1[i], root);
  }

  /** The root at a random past size: O(log n) stored reads. */
  @Benchmark
  public byte[] rootAtPastSize() {
    return tree.rootAt(1 + random.nextLong(leaves));
  }
}
