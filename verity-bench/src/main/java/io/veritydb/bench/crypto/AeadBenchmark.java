package io.veritydb.bench.crypto;

import io.veritydb.bench.harness.ShortOpsPerSecond;
import io.veritydb.crypto.AeadCipher;
import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.crypto.KeyManager;
import io.veritydb.crypto.MasterKey;
import io.veritydb.crypto.MemoryKeyStore;
import io.veritydb.types.TenantId;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ChaCha20-Poly1305 encryption (operations/s; MB/s = ops/s x size / 1e6) at 100 B and 1 KiB: the
 * bare AEAD ({@link AeadCipher}) and the tenant envelope ({@link EnvelopeCipher}: nonce lease,
 * header, bound associated data) over an in-memory key store; and envelope decryption, which replay
 * after a crash does once per log record (issue 6, W7: about 130-byte payloads).
 */
@State(Scope.Thread)
public class AeadBenchmark extends ShortOpsPerSecond {
  @Param({"100", "1024"})
  public int size;

  private final AeadCipher aead = new AeadCipher();
  private final byte[] key = new byte[AeadCipher.KEY_LENGTH];
  private final byte[] nonce = new byte[AeadCipher.NONCE_LENGTH];
  private final byte[] aad = new byte[16];
  private byte[] plaintext;
  private byte[] out;
  private long counter;
  private EnvelopeCipher envelope;
  private final TenantId tenant = TenantId.of(1);

  /** Envelopes decrypted in turn (distinct nonces, as consecutive log records have). */
  private static final int SEALED = 1024;

  private byte[][] sealed;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    random.nextBytes(key);
    out = new byte[size + AeadCipher.TAG_LENGTH];
    MasterKey master = MasterKey.of(key);
    envelope =
        new EnvelopeCipher(new KeyManager(new MemoryKeyStore(), () -> master, new SecureRandom()));
    sealed = new byte[SEALED][];
    for (int i = 0; i < SEALED; i++) {
      sealed[i] = envelope.encrypt(tenant, plaintext, aad);
    }
  }

  @Benchmark
  public byte[] encrypt() {
    // A fresh nonce each call, as real use requires (the cipher refuses a repeated one).
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (c >>> (8 * i));
    }
    aead.encrypt(key, nonce, aad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  @Benchmark
  public byte[] envelopeEncrypt() {
    return envelope.encrypt(tenant, plaintext, aad);
  }

  @Benchmark
  public byte[] envelopeDecrypt() {
    byte[] e = sealed[next];
    next = (next + 1) % SEALED;
    return envelope.decrypt(tenant, e, aad);
  }
}
