package io.veritydb.crypto;

import io.veritydb.types.Checks;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One version of a tenant's data key as stored: wrapped (encrypted) under a master key, never in
 * the clear. Immutable.
 *
 * <ul>
 *   <li>{@code version}: 1, 2, ... (rotation adds the next one);
 *   <li>{@code masterKeyId}: the 8-byte id of the master key that wrapped it;
 *   <li>{@code nonceLimit}: every nonce counter below this value may have been used; encryption
 *       with this key uses counters from here on only after raising it durably (the lease);
 *   <li>{@code wrapped}: {@value #WRAPPED_LENGTH} bytes, nonce (12) || encrypted key (32) || tag
 *       (16), ChaCha20-Poly1305 under the master key, associated data binding tenant, version and
 *       master key id (see {@code KeyWrap}).
 * </ul>
 */
public final class WrappedKey {
  public static final int WRAPPED_LENGTH =
      AeadCipher.NONCE_LENGTH + AeadCipher.KEY_LENGTH + AeadCipher.TAG_LENGTH;

  private final int version;
  private final byte[] masterKeyId;
  private final long nonceLimit;
  private final byte[] wrapped;

  /** Copies the arrays; checks every length and range. */
  public WrappedKey(int version, byte[] masterKeyId, long nonceLimit, byte[] wrapped) {
    Checks.checkArgument(version >= 1, "key version", version);
    Checks.checkArgument(nonceLimit >= 0, "nonceLimit", nonceLimit);
    Checks.checkNotNull(masterKeyId, "master key id");
    Checks.checkNotNull(wrapped, "wrapped key");
    Checks.checkArgument(
        masterKeyId.length == MasterKey.ID_LENGTH, "masterKeyIdLength", masterKeyId.length);
    Checks.checkArgument(wrapped.length == WRAPPED_LENGTH, "wrappedLength", wrapped.length);
    this.version = version;
    this.masterKeyId = masterKeyId.clone();
    this.nonceLimit = nonceLimit;
    this.wrapped = wrapped.clone();
  }

  public int version() {
    return version;
  }

  public byte[] masterKeyId() {
    return masterKeyId.clone();
  }

  public String masterKeyIdHex() {
    return HexFormat.of().formatHex(masterKeyId);
  }

  public long nonceLimit() {
    return nonceLimit;
  }

  public byte[] wrapped() {
    return wrapped.clone();
  }

  /** This key with a higher nonce limit (a new lease). */
  public WrappedKey withNonceLimit(long newLimit) {
    Checks.checkArgument(newLimit >= nonceLimit, "newLimit", newLimit, "nonceLimit", nonceLimit);
    return new WrappedKey(version, masterKeyId, newLimit, wrapped);
  }

  byte[] wrappedNoCopy() {
    return wrapped;
  }

  byte[] masterKeyIdNoCopy() {
    return masterKeyId;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WrappedKey k
        && version == k.version
        && nonceLimit == k.nonceLimit
        && Arrays.equals(masterKeyId, k.masterKeyId)
        && Arrays.equals(wrapped, k.wrapped);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * version + Long.hashCode(nonceLimit)) + Arrays.hashCode(wrapped);
  }

  @Override
  public String toString() {
    return "WrappedKey[v"
        + version
        + " master="
        + masterKeyIdHex()
        + " nonceLimit="
        + nonceLimit
        + "]";
  }
}
