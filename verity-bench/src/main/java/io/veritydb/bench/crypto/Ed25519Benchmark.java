package io.veritydb.bench.crypto;

import io.veritydb.bench.harness.ShortOpsPerSecond;
import io.veritydb.crypto.Ed25519;
import io.veritydb.crypto.Ed25519KeyPair;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Ed25519 signatures and verifications per second, over a 72-byte checkpoint-sized message. */
@State(Scope.Thread)
public class Ed25519Benchmark extends ShortOpsPerSecond {
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
