package io.veritydb.crypto;

import io.veritydb.types.ChainHash;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * BLAKE3 (BouncyCastle) and the log's hash chain.
 *
 * <p>The chain: {@code digest(n) = BLAKE3(record bytes)}, {@code chain(n) = BLAKE3(chain(n-1) ||
 * digest(n))}, with {@code chain(0) = }{@link #GENESIS}. Digests of many records can be computed in
 * parallel; the sequential step hashes 64 bytes.
 *
 * <p>Instances reuse one digest and are not thread-safe; use one per thread.
 */
public final class Blake3 {
  /** Output length in bytes. */
  public static final int LENGTH = 32;

  /**
   * The chain hash before the first record: BLAKE3 of the ASCII bytes {@code
   * "veritydb.log.genesis.v1"}.
   */
  public static final ChainHash GENESIS;

  static {
    byte[] seed = "veritydb.log.genesis.v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    GENESIS = ChainHash.of(new Blake3().hash(seed, 0, seed.length));
  }

  private final Blake3Digest digest = new Blake3Digest(LENGTH * 8);
  private final byte[] pair = new byte[2 * LENGTH];

  /** BLAKE3 of {@code length} bytes of {@code data} from {@code offset}. */
  public byte[] hash(byte[] data, int offset, int length) {
    byte[] out = new byte[LENGTH];
    hash(data, offset, length, out, 0);
    return out;
  }

  /** BLAKE3 of {@code length} bytes of {@code data} from {@code offset}, into {@code out}. */
  public void hash(byte[] data, int offset, int length, byte[] out, int outOffset) {
    digest.reset();
    digest.update(data, offset, length);
    digest.doFinal(out, outOffset);
  }

  /** Starts an incremental hash; feed it with {@link #update} and end with {@link #finish}. */
  public void reset() {
    digest.reset();
  }

  public void update(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
  }

  public void finish(byte[] out, int outOffset) {
    digest.doFinal(out, outOffset);
  }

  /** The next chain hash: BLAKE3(previous || recordDigest). */
  public ChainHash chain(ChainHash previous, byte[] recordDigest) {
    if (recordDigest.length != LENGTH) {
      throw new IllegalArgumentException(
          "record digest must be " + LENGTH + " bytes, was " + recordDigest.length);
    }
    previous.copyTo(pair, 0);
    System.arraycopy(recordDigest, 0, pair, LENGTH, LENGTH);
    return ChainHash.of(hash(pair, 0, pair.length));
  }
}
