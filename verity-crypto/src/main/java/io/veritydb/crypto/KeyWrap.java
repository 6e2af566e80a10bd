package io.veritydb.crypto;

import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Wrapping of tenant data keys under the master key: ChaCha20-Poly1305 with a random 12-byte nonce
 * and associated data
 *
 * <pre>
 *   "veritydb wrapped data key v1" (28 ASCII bytes) || tenant id u64 LE || version u32 LE
 *   || master key id (8)
 * </pre>
 *
 * so a wrapped key copied to another tenant, another version slot or presented with another master
 * key does not authenticate. A random nonce is safe here: a master key wraps one key per tenant key
 * version (thousands, not billions), far below the 2^32 messages at which random 96-bit nonces
 * start to risk a collision.
 */
final class KeyWrap {
  private static final byte[] LABEL =
      "veritydb wrapped data key v1".getBytes(StandardCharsets.US_ASCII);

  private KeyWrap() {}

  static byte[] aad(TenantId tenant, int version, byte[] masterKeyId) {
    ByteBuffer b =
        ByteBuffer.allocate(LABEL.length + 8 + 4 + MasterKey.ID_LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(LABEL).putLong(tenant.value()).putInt(version).put(masterKeyId);
    return b.array();
  }

  static WrappedKey wrap(
      AeadCipher aead,
      MasterKey master,
      TenantId tenant,
      int version,
      byte[] dataKey,
      SecureRandom random) {
    byte[] wrapped = new byte[WrappedKey.WRAPPED_LENGTH];
    byte[] nonce = new byte[AeadCipher.NONCE_LENGTH];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, wrapped, 0, nonce.length);
    byte[] id = master.idBytes();
    aead.encrypt(
        master.secret(),
        nonce,
        aad(tenant, version, id),
        dataKey,
        0,
        dataKey.length,
        wrapped,
        nonce.length);
    return new WrappedKey(version, id, 0, wrapped);
  }

  /** The 32-byte data key, or a {@link KeyException} that says why it cannot be had. */
  static byte[] unwrap(AeadCipher aead, MasterKey master, TenantId tenant, WrappedKey key) {
    if (!master.hasId(key.masterKeyIdNoCopy())) {
      throw new KeyException(
          tenant
              + " key version "
              + key.version()
              + " is wrapped under master key "
              + key.masterKeyIdHex()
              + " but the key provider supplies master key "
              + master.id()
              + ": wrong master key file, or the key store belongs to another database");
    }
    byte[] wrapped = key.wrappedNoCopy();
    byte[] nonce = Arrays.copyOf(wrapped, AeadCipher.NONCE_LENGTH);
    try {
      return aead.decrypt(
          master.secret(),
          nonce,
          aad(tenant, key.version(), key.masterKeyIdNoCopy()),
          null,
          wrapped,
          AeadCipher.NONCE_LENGTH,
          wrapped.length - AeadCipher.NONCE_LENGTH);
    } catch (KeyException e) {
      throw new KeyException(
          tenant
              + " key version "
              + key.version()
              + " does not unwrap under master key "
              + master.id()
              + ": the key store entry was altered or moved from another tenant or version",
          e);
    }
  }
}
