package io.veritydb.crypto;

/**
 * Supplies the master key (key-encryption key) that wraps the tenant data keys. The default is
 * {@link FileKeyProvider}; a deployment with a KMS or HSM implements this interface and returns the
 * key it fetched (the key is held in memory while the database is open).
 */
public interface KeyProvider {
  /** The master key; throws {@link io.veritydb.types.KeyException} when it cannot be had. */
  MasterKey masterKey();
}
