package io.veritydb.api.internal;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.util.function.Supplier;

/**
 * Makes a failed read or write of a crypto-shredded tenant say so, instead of what it found missing
 * ("table t does not exist"): a shredded tenant has no tables left. Asked only after a failure, so
 * reads pay nothing for it.
 */
final class ShreddedTenants {
  private final TenantCrypto keyring;

  /** {@code keyring} null: payloads are not encrypted, so no tenant can be shredded. */
  ShreddedTenants(TenantCrypto keyring) {
    this.keyring = keyring;
  }

  /** Runs {@code work} for {@code tenant}; a failure of a shredded tenant says it was shredded. */
  <T> T explain(TenantId tenant, Supplier<T> work) {
    try {
      return work.get();
    } catch (BadRequestException e) {
      if (isShredded(tenant, e)) {
        throw new KeyException(
            tenant
                + " was crypto-shredded: its keys were destroyed and its data erased, so it can"
                + " neither be read nor written",
            e);
      }
      throw e;
    }
  }

  /** Whether the key store says {@code tenant} was shredded; a key store that fails says no. */
  private boolean isShredded(TenantId tenant, BadRequestException failure) {
    if (keyring == null) {
      return false;
    }
    try {
      return keyring.isShredded(tenant);
    } catch (VerityException e) {
      failure.addSuppressed(e); // the key store stopped after a failed write: keep the first error
      return false;
    }
  }
}
