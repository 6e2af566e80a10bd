package io.veritydb.bench.crypto;

import io.veritydb.bench.harness.ShortOpsPerSecond;
import io.veritydb.crypto.Blake3;
import io.veritydb.types.ChainHash;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * BLAKE3 throughput (operations/s; MB/s = ops/s x size / 1e6) on 100 B, 1 KiB and 64 KiB inputs,
 * and the chain step (one BLAKE3 of 64 bytes) per second.
 */
@State(Scope.Thread)
public class Blake3Benchmark extends ShortOpsPerSecond {
  @Param({"100", "1024", "65536"})
  public int size;

  private final Blake3 blake3 = new Blake3();
  private final byte[] out = new byte[Blake3.LENGTH];
  private byte[] input;
  private byte[] digest;
  private ChainHash previous;

  @Setup
  public void setUp() {
    input = new byte[size];
    new SplittableRandom(42).nextBytes(input);
    digest = blake3.hash(input, 0, Math.min(size, 64));
    previous = Blake3.GENESIS;
  }

  @Benchmark
  public byte[] hash() {
    blake3.hash(input, 0, input.length, out, 0);
    return out;
  }

  /** The sequential chain step; independent of {@code size}. */
  @Benchmark
  public ChainHash chainStep() {
    previous = blake3.chain(previous, digest);
    return previous;
  }
}
