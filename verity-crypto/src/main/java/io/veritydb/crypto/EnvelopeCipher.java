package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.util.Arrays;

/**
 * Encrypts and decrypts tenant data with the tenant's current data key (ChaCha20-Poly1305), in a
 * self-describing format ({@link EnvelopeLayout}: format byte, key version, nonce, ciphertext, tag;
 * {@value EnvelopeLayout#OVERHEAD} bytes of overhead).
 *
 * <p><b>Nonce scheme.</b> The 12-byte nonce is a 4-byte fixed field followed by a 64-bit counter
 * per (tenant, key version). Counters come from leases recorded durably in the key store before use
 * (see {@link KeyManager}), so no (key, nonce) pair is ever used twice, across crashes too: after a
 * crash, counting restarts above the last durable lease. Nonces are not derived from log positions
 * (a torn log tail is truncated and its positions reused) and are not random (96 random bits risk a
 * collision after about 2^32 messages under one key).
 *
 * <p>The associated data authenticated with each message is the tenant id, the envelope header and
 * the caller's {@code aad} (for example the log position and record kind), so a ciphertext moved to
 * another tenant or another place does not decrypt.
 *
 * <p>Errors are {@link KeyException}s that say which case it is: the tenant's keys were destroyed
 * (crypto-shredded), the tenant or key version is unknown, the master key is not the one the keys
 * were wrapped under, or the ciphertext does not authenticate (wrong tenant, wrong aad, altered or
 * truncated bytes).
 *
 * <p>Thread-safe: nonce allocation is serialised by the {@link KeyManager}; encryption itself runs
 * in parallel, one ChaCha20-Poly1305 engine per thread.
 */
public final class EnvelopeCipher {
  /** Bytes an envelope adds to its plaintext. */
  public static final int OVERHEAD = EnvelopeLayout.OVERHEAD;

  /**
   * One ChaCha20-Poly1305 engine per thread and per instance: the JDK refuses an engine a (key,
   * nonce) it was last given, so engines shared between databases in one process would make one
   * database's encryption depend on another's (two simulated runs of one seed draw the same keys).
   */
  private final ThreadLocal<AeadCipher> aead = ThreadLocal.withInitial(AeadCipher::new);

  private final KeyManager keys;

  public EnvelopeCipher(KeyManager keys) {
    this.keys = Checks.checkNotNull(keys, "key manager");
  }

  /** The key manager (rotation, shredding). */
  public KeyManager keys() {
    return keys;
  }

  /**
   * Encrypts {@code plaintext} for {@code tenant} under its current key (creating version 1 on the
   * tenant's first use); {@code aad} (may be null) must be given again to decrypt.
   */
  public byte[] encrypt(TenantId tenant, byte[] plaintext, byte[] aad) {
    Checks.checkNotNull(plaintext, "plaintext");
    return encrypt(tenant, plaintext, 0, plaintext.length, aad);
  }

  /** Encrypts {@code length} bytes of {@code plaintext} from {@code offset}. */
  public byte[] encrypt(TenantId tenant, byte[] plaintext, int offset, int length, byte[] aad) {
    return prepare(tenant, plaintext, offset, length, aad).seal();
  }

  /**
   * The first half of {@link #encrypt}: checks the arguments, draws the nonce under the tenant's
   * current key and writes the envelope's header; {@link Sealing#seal()} does the cipher work,
   * possibly on another thread. Everything that can fail for the tenant's keys (shredded, nonces
   * used up, the key store unwritable) fails here. {@code plaintext} must not change until sealed.
   */
  public Sealing prepare(TenantId tenant, byte[] plaintext, int offset, int length, byte[] aad) {
    Checks.checkNotNull(tenant, "tenant");
    Checks.checkSlice(plaintext, "plaintext", offset, length);
    Checks.checkArgument(
        length <= AeadCipher.MAX_PLAINTEXT_LENGTH - OVERHEAD, "plaintextLength", length);
    byte[] out = new byte[OVERHEAD + length];
    out[EnvelopeLayout.FORMAT_OFFSET] = EnvelopeLayout.FORMAT_V1;
    KeyManager.Slot slot = keys.nextEncryption(tenant, out, EnvelopeLayout.NONCE_OFFSET);
    EnvelopeLayout.putIntLe(out, EnvelopeLayout.VERSION_OFFSET, slot.version());
    return new Sealing(aead, tenant, slot.key(), plaintext, offset, length, aad, out);
  }

  /**
   * An envelope whose header and nonce are fixed (by {@link #prepare}) and whose ciphertext is not
   * written yet. It holds a copy of the data key until {@link #seal()}, which wipes it; seal it
   * exactly once.
   */
  public static final class Sealing {
    private final TenantId tenant;
    private final byte[] key;
    private final byte[] plaintext;
    private final int offset;
    private final int length;
    private final byte[] aad;
    private final byte[] out;
    private final ThreadLocal<AeadCipher> engines;
    private boolean sealed;

    private Sealing(
        ThreadLocal<AeadCipher> engines,
        TenantId tenant,
        byte[] key,
        byte[] plaintext,
        int offset,
        int length,
        byte[] aad,
        byte[] out) {
      this.engines = engines;
      this.tenant = tenant;
      this.key = key;
      this.plaintext = plaintext;
      this.offset = offset;
      this.length = length;
      this.aad = aad;
      this.out = out;
    }

    /**
     * The envelope's array, header written: complete once {@link #seal()} returned (the same array
     * as seal's result, so it may be handed on before it is sealed).
     */
    public byte[] envelope() {
      return out;
    }

    /** Encrypts into {@link #envelope()} and wipes the key; the envelope. */
    public byte[] seal() {
      Checks.checkState(!sealed, "the envelope is already sealed", length);
      sealed = true;
      byte[] nonce = Arrays.copyOfRange(out, EnvelopeLayout.NONCE_OFFSET, EnvelopeLayout.HEADER);
      try {
        int written =
            engines
                .get()
                .encrypt(
                    key,
                    nonce,
                    boundHeader(tenant, out),
                    aad,
                    plaintext,
                    offset,
                    length,
                    out,
                    EnvelopeLayout.HEADER);
        Checks.checkState(written + EnvelopeLayout.HEADER == out.length, "written", written);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      return out;
    }
  }

  /** Decrypts an envelope made by {@link #encrypt} for the same tenant and {@code aad}. */
  public byte[] decrypt(TenantId tenant, byte[] envelope, byte[] aad) {
    Checks.checkNotNull(tenant, "tenant");
    Checks.checkNotNull(envelope, "ciphertext");
    if (envelope.length < OVERHEAD) {
      throw new KeyException(
          "ciphertext of "
              + tenant
              + " is "
              + envelope.length
              + " bytes, shorter than the "
              + OVERHEAD
              + "-byte envelope minimum: truncated or not a VerityDB ciphertext");
    }
    if (envelope[EnvelopeLayout.FORMAT_OFFSET] != EnvelopeLayout.FORMAT_V1) {
      throw new KeyException(
          "ciphertext of "
              + tenant
              + " has unknown envelope format "
              + envelope[EnvelopeLayout.FORMAT_OFFSET]
              + " (expected "
              + EnvelopeLayout.FORMAT_V1
              + ")");
    }
    int version = keyVersionOf(envelope);
    if (version < 1) {
      throw new KeyException("ciphertext of " + tenant + " names invalid key version " + version);
    }
    byte[] key = keys.decryptionKey(tenant, version);
    byte[] nonce = Arrays.copyOfRange(envelope, EnvelopeLayout.NONCE_OFFSET, EnvelopeLayout.HEADER);
    try {
      return aead.get()
          .decrypt(
              key,
              nonce,
              boundHeader(tenant, envelope),
              aad,
              envelope,
              EnvelopeLayout.HEADER,
              envelope.length - EnvelopeLayout.HEADER);
    } catch (KeyException e) {
      throw new KeyException(
          "ciphertext of "
              + tenant
              + " (key version "
              + version
              + ") does not authenticate: it belongs to another tenant, the associated data"
              + " differs, or its bytes were altered",
          e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The key version an envelope names (no authentication; for diagnostics and re-encryption). */
  public static int keyVersionOf(byte[] envelope) {
    Checks.checkArgument(envelope.length >= OVERHEAD, "envelopeLength", envelope.length);
    return EnvelopeLayout.getIntLe(envelope, EnvelopeLayout.VERSION_OFFSET);
  }

  /** Tenant id (u64 LE) followed by the envelope header: the first part of the AEAD's aad. */
  private static byte[] boundHeader(TenantId tenant, byte[] envelope) {
    byte[] bound = new byte[8 + EnvelopeLayout.HEADER];
    EnvelopeLayout.putLongLe(bound, 0, tenant.value());
    System.arraycopy(envelope, 0, bound, 8, EnvelopeLayout.HEADER);
    return bound;
  }
}
