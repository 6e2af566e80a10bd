package io.veritydb.crypto;

import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

/**
 * BLAKE3 (BouncyCastle) and the log's hash chain.
 *
 * <p>The chain: {@code digest(n) = BLAKE3(record bytes)}, {@code chain(n) = BLAKE3(chain(n-1) ||
 * digest(n))}, with {@code chain(0) = }{@link #GENESIS}. Digests of many records can be computed in
 * parallel; the sequential step hashes 64 bytes.
 *
 * <p>Three modes, as in the BLAKE3 specification: plain hashing ({@code new Blake3()}), keyed
 * hashing ({@link #keyed}, a MAC under a 32-byte key) and key derivation ({@link #deriveKey}, the
 * input is key material, the context string is a hard-coded, globally unique purpose). Every mode
 * can produce extended output ({@link #hashXof}).
 *
 * <p>Instances reuse one digest and are not thread-safe; use one per thread.
 */
public final class Blake3 {
  /** Output length in bytes. */
  public static final int LENGTH = 32;

  /** Key length of the keyed mode in bytes. */
  public static final int KEY_LENGTH = 32;

  /** Upper bound of one extended output, a sanity limit (the algorithm allows 2^64 bytes). */
  public static final int MAX_XOF_LENGTH = 1 << 20;

  /**
   * The chain hash before the first record: BLAKE3 (plain mode) of the 23 ASCII bytes {@code
   * "veritydb.log.genesis.v1"}, that is {@code 5f0a...} as printed by {@code GENESIS.toHex()}; a
   * test pins the value so it can never change silently.
   */
  public static final ChainHash GENESIS;

  static {
    byte[] seed = "veritydb.log.genesis.v1".getBytes(StandardCharsets.US_ASCII);
    GENESIS = ChainHash.of(new Blake3().hash(seed, 0, seed.length));
  }

  private final Blake3Digest digest;
  private final byte[] pair = new byte[2 * LENGTH];

  /** Plain BLAKE3. */
  public Blake3() {
    this.digest = new Blake3Digest(LENGTH * 8);
  }

  private Blake3(Blake3Parameters parameters) {
    this.digest = new Blake3Digest(LENGTH * 8);
    digest.init(parameters);
  }

  /** BLAKE3 in keyed mode (a MAC / PRF) under a {@value #KEY_LENGTH}-byte key. */
  public static Blake3 keyed(byte[] key) {
    Checks.checkNotNull(key, "BLAKE3 key");
    Checks.checkArgument(key.length == KEY_LENGTH, "BLAKE3 key length", key.length);
    Blake3Parameters parameters = Blake3Parameters.key(key);
    Blake3 blake3 = new Blake3(parameters);
    parameters.clearKey();
    return blake3;
  }

  /**
   * BLAKE3 in derive_key mode: hash key material under a context string that names one purpose (for
   * example {@code "veritydb 2026-11 master key id v1"}).
   */
  public static Blake3 deriveKey(String context) {
    Checks.checkNotNull(context, "BLAKE3 context string");
    return new Blake3(Blake3Parameters.context(context.getBytes(StandardCharsets.UTF_8)));
  }

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

  /** Extended output: the first {@code outLength} bytes of the BLAKE3 output stream of the data. */
  public byte[] hashXof(byte[] data, int offset, int length, int outLength) {
    Checks.checkArgument(outLength >= 0 && outLength <= MAX_XOF_LENGTH, "outLength", outLength);
    byte[] out = new byte[outLength];
    digest.reset();
    digest.update(data, offset, length);
    digest.doFinal(out, 0, outLength);
    return out;
  }

  /** Starts an incremental hash; feed it with {@link #update} and end with {@link #finish}. */
  public void reset() {
    digest.reset();
  }

  public void update(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
  }

  /** Writes the {@value #LENGTH}-byte hash into {@code out} and resets for the next hash. */
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
    digest.reset();
    digest.update(pair, 0, pair.length);
    // ChainHash.of copies; write into the scratch half that is no longer needed.
    digest.doFinal(pair, 0);
    return ChainHash.of(pair, 0);
  }
}
