package io.veritydb.api.internal;

import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.crypto.FileKeyProvider;
import io.veritydb.crypto.FileKeyStore;
import io.veritydb.crypto.KeyManager;
import io.veritydb.crypto.KeyProvider;
import io.veritydb.crypto.KeyStore;
import io.veritydb.crypto.TenantKeyRecord;
import io.veritydb.crypto.WrappedKey;
import io.veritydb.io.FileIo;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Encryption of log payloads with each tenant's data key (ChaCha20-Poly1305 envelopes, keys wrapped
 * by the master key). The record's log position is the associated data, so a ciphertext cannot be
 * moved to another position or tenant without failing authentication.
 *
 * <p>Files: {@code keys/master.key} (the default key provider; owner-only), {@code keys/keys.vks}
 * (the wrapped tenant keys). Opening with the wrong master key fails before anything is written.
 */
public final class TenantCrypto implements AutoCloseable {
  static final String MASTER_KEY_FILE = "master.key";

  private final KeyStore store;
  private final KeyManager keys;
  private final EnvelopeCipher cipher;

  private TenantCrypto(KeyStore store, KeyManager keys) {
    this.store = store;
    this.keys = keys;
    this.cipher = new EnvelopeCipher(keys);
  }

  /** {@link #open(FileIo, Path, KeyProvider, boolean, SecureRandom)} with the platform's random. */
  public static TenantCrypto open(FileIo io, Path dir, KeyProvider provider, boolean create) {
    return open(io, dir, provider, create, new SecureRandom());
  }

  /**
   * Opens the key store in {@code dir/keys}. {@code provider} null means the master key file in
   * that directory, created from {@code random} on first use when no tenant key exists yet; {@code
   * random} also draws tenant keys and nonce prefixes.
   */
  public static TenantCrypto open(
      FileIo io, Path dir, KeyProvider provider, boolean create, SecureRandom random) {
    Path keysDir = dir.resolve("keys");
    if (create) {
      io.createDirectories(keysDir);
    }
    KeyStore store = FileKeyStore.open(io, keysDir);
    try {
      KeyProvider chosen =
          provider != null ? provider : defaultProvider(io, keysDir, store, create, random);
      KeyManager keys = new KeyManager(store, chosen, random);
      checkMasterKey(store, keys);
      return new TenantCrypto(store, keys);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static KeyProvider defaultProvider(
      FileIo io, Path keysDir, KeyStore store, boolean create, SecureRandom random) {
    Path file = keysDir.resolve(MASTER_KEY_FILE);
    if (io.exists(file)) {
      return FileKeyProvider.open(io, file);
    }
    if (!store.tenants().isEmpty()) {
      throw new KeyException(
          "the master key file "
              + file
              + " is missing, but the key store holds wrapped tenant keys: restore the master key"
              + " file (nothing was changed)");
    }
    if (!create) {
      throw new KeyException("there is no master key file at " + file);
    }
    return FileKeyProvider.openOrCreate(io, file, random);
  }

  private static void checkMasterKey(KeyStore store, KeyManager keys) {
    for (TenantId tenant : store.tenants()) {
      TenantKeyRecord record = store.get(tenant);
      if (record == null || record.isShredded()) {
        continue;
      }
      for (WrappedKey key : record.keys()) {
        if (!key.masterKeyIdHex().equals(keys.masterKeyId())) {
          throw new KeyException(
              "wrong master key: the key store was written with master key "
                  + key.masterKeyIdHex()
                  + " but the key given is "
                  + keys.masterKeyId()
                  + " (nothing was changed)");
        }
      }
    }
  }

  /**
   * Encrypts a payload of {@code tenant} for the log record at {@code position}, in two halves: the
   * nonce and header now (what can fail for the tenant's keys), the cipher work when the result is
   * sealed, possibly on another thread.
   */
  public EnvelopeCipher.Sealing prepare(TenantId tenant, long position, byte[] payload) {
    return cipher.prepare(tenant, payload, 0, payload.length, aad(position));
  }

  /** Decrypts a payload of {@code tenant} stored at {@code position}. */
  public byte[] decrypt(TenantId tenant, long position, byte[] payload) {
    return cipher.decrypt(tenant, payload, aad(position));
  }

  public boolean isShredded(TenantId tenant) {
    return keys.isShredded(tenant);
  }

  /** Destroys every key of {@code tenant}; idempotent. */
  public void destroy(TenantId tenant) {
    keys.destroyTenant(tenant);
  }

  private static byte[] aad(long position) {
    return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(position).array();
  }

  @Override
  public void close() {
    keys.close();
    store.close();
  }
}
