package io.veritydb.bench.crypto;

import io.veritydb.crypto.Ed25519;
import io.veritydb.crypto.Ed25519KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Ed25519 signatures and verifications per second, over a 72-byte checkpoint-sized message. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class Ed25519Benchmark {
  private Ed25519KeyPair pair;
  private byte[] publicKey;
  private final byte[] message = new byte[72];
  private byte[] signature;

  @Setup
  public void setUp() {
    pair = Ed25519.generate(new SecureRandom());
    publicKey = pair.publicKey();
    signature = pair.sign(message);
  }

  @Benchmark
  public byte[] sign() {
    return pair.sign(message);
  }

  @Benchmark
  public boolean verify() {
    return Ed25519.verify(publicKey, message, signature);
  }
}
