package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key hierarchy: master key (from a {@link KeyProvider}) -> per-tenant data keys with versions
 * (stored only wrapped, in a {@link KeyStore}) -> ciphertexts ({@link EnvelopeCipher}).
 *
 * <p><b>Versions.</b> A tenant's first key is version 1; {@link #rotateTenantKey} adds the next
 * version, which every later encryption uses, while ciphertexts name their version and keep
 * decrypting.
 *
 * <p><b>Nonces.</b> Each encryption under a tenant key version uses the nonce {@code fixed (4
 * bytes) || counter (u64 LE)}. The counter never repeats under one key version: counters are handed
 * out from a lease {@code [from, limit)}, and the limit is written durably to the key store ({@link
 * WrappedKey#nonceLimit()}) <i>before</i> the first counter of the lease is used. A process that
 * crashes mid-lease restarts at the durable limit, skipping the unused rest: a counter is at most
 * wasted, never reused. Leases are {@value #DEFAULT_NONCE_LEASE} counters by default, so the store
 * is written once per that many encryptions of a tenant. The 4-byte fixed field is random, drawn
 * whenever a tenant's key is loaded: it adds no guarantee of its own but makes a reuse improbable
 * (2^-32) even if the single-writer rule is broken or the key store is restored from an old backup
 * (which rewinds the limits).
 *
 * <p><b>Shredding.</b> {@link #destroyTenant} replaces the tenant's record in the store by a
 * shredded marker (one atomic store write) and wipes the cached keys; afterwards every decrypt for
 * the tenant fails saying so and creating keys for it is refused.
 *
 * <p>Unwrapped keys of at most {@code cacheTenants} tenants are held in memory (LRU); an evicted
 * tenant's keys are wiped and its unused nonce lease is abandoned. Thread-safe: every method holds
 * this object's lock (a lease renewal holds it across one store write).
 */
public final class KeyManager implements AutoCloseable {
  public static final long DEFAULT_NONCE_LEASE = 1L << 16;
  public static final int DEFAULT_CACHE_TENANTS = 4096;

  private final KeyStore store;
  private final MasterKey master;
  private final SecureRandom random;
  private final long leaseBlock;
  private final AeadCipher wrapCipher = new AeadCipher();
  private final LinkedHashMap<TenantId, TenantState> cache;
  private boolean closed;

  /** One tenant's loaded keys and its current nonce lease. */
  private static final class TenantState {
    final TenantKeyRecord record;
    final TreeMap<Integer, byte[]> keys = new TreeMap<>();
    final int fixed;
    long next;
    long limit;

    TenantState(TenantKeyRecord record, int fixed) {
      this.record = record;
      this.fixed = fixed;
      this.next = record.latest().nonceLimit();
      this.limit = next;
    }

    void wipe() {
      for (byte[] key : keys.values()) {
        Arrays.fill(key, (byte) 0);
      }
      keys.clear();
    }
  }

  /** The key to encrypt one message with, and the version it belongs to. */
  static final class Slot {
    private final int version;
    private final byte[] key;

    Slot(int version, byte[] key) {
      this.version = version;
      this.key = key;
    }

    int version() {
      return version;
    }

    byte[] key() {
      return key;
    }
  }

  public KeyManager(KeyStore store, KeyProvider provider, SecureRandom random) {
    this(store, provider, random, DEFAULT_NONCE_LEASE, DEFAULT_CACHE_TENANTS);
  }

  public KeyManager(
      KeyStore store,
      KeyProvider provider,
      SecureRandom random,
      long nonceLeaseBlock,
      int cacheTenants) {
    this.store = Checks.checkNotNull(store, "key store");
    this.master = Checks.checkNotNull(Checks.checkNotNull(provider, "provider").masterKey(), "key");
    this.random = Checks.checkNotNull(random, "random");
    Checks.checkArgument(nonceLeaseBlock >= 1, "nonceLeaseBlock", nonceLeaseBlock);
    Checks.checkArgument(cacheTenants >= 1, "cacheTenants", cacheTenants);
    this.leaseBlock = nonceLeaseBlock;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<TenantId, TenantState> eldest) {
            if (size() > cacheTenants) {
              eldest.getValue().wipe();
              return true;
            }
            return false;
          }
        };
  }

  /** Wipes every cached data key; the manager refuses further use. The store stays open. */
  @Override
  public synchronized void close() {
    for (TenantState state : cache.values()) {
      state.wipe();
    }
    cache.clear();
    closed = true;
  }

  /** The id of the master key in use. */
  public String masterKeyId() {
    return master.id();
  }

  /**
   * Creates version 1 of the tenant's data key if it has none; returns the current version. Refused
   * for a shredded tenant.
   */
  public synchronized int ensureTenantKey(TenantId tenant) {
    return state(tenant, true).record.latest().version();
  }

  /** Adds the next key version, which new encryptions use from now on; returns it. */
  public synchronized int rotateTenantKey(TenantId tenant) {
    checkOpen();
    TenantKeyRecord record = store.get(Checks.checkNotNull(tenant, "tenant"));
    if (record == null) {
      return ensureTenantKey(tenant);
    }
    checkNotShredded(record);
    int version = record.keys().size() + 1;
    if (version > TenantKeyRecord.MAX_VERSIONS) {
      throw new KeyException(tenant + " has reached the maximum of " + (version - 1) + " keys");
    }
    TenantKeyRecord next = record.with(newWrappedKey(tenant, version));
    store.put(next);
    evict(tenant);
    return version;
  }

  /** The version new encryptions use; 0 when the tenant has no key yet. */
  public synchronized int currentKeyVersion(TenantId tenant) {
    checkOpen();
    TenantKeyRecord record = store.get(Checks.checkNotNull(tenant, "tenant"));
    if (record == null) {
      return 0;
    }
    checkNotShredded(record);
    return record.latest().version();
  }

  /** True when the tenant's keys were destroyed. */
  public synchronized boolean isShredded(TenantId tenant) {
    checkOpen();
    TenantKeyRecord record = store.get(Checks.checkNotNull(tenant, "tenant"));
    return record != null && record.isShredded();
  }

  /**
   * Crypto-shredding: irreversibly removes every key version of the tenant from the key store (one
   * atomic, durable store write) and records that the tenant was shredded. Idempotent: repeat it
   * after a crash or failure until it returns.
   */
  public synchronized void destroyTenant(TenantId tenant) {
    checkOpen();
    Checks.checkNotNull(tenant, "tenant");
    evict(tenant);
    store.put(TenantKeyRecord.shredded(tenant));
  }

  /**
   * Master key rotation: re-wraps every tenant key version in {@code store} that is wrapped under
   * {@code from} so that it is wrapped under {@code to}, in one atomic store write (after a crash
   * the store is entirely under the old or entirely under the new master key; the call is
   * idempotent, keys already under {@code to} are kept). Nonce limits are kept. Returns the number
   * of key versions re-wrapped. Run it with no {@code KeyManager} open on the store; afterwards
   * open one with a provider of {@code to}, then destroy the old master key: copies of the key
   * store made earlier (backups, SSD remnants) then no longer yield any tenant key.
   */
  public static int rewrapAll(KeyStore store, MasterKey from, MasterKey to, SecureRandom random) {
    Checks.checkNotNull(store, "key store");
    Checks.checkNotNull(from, "old master key");
    Checks.checkNotNull(to, "new master key");
    Checks.checkNotNull(random, "random");
    AeadCipher aead = new AeadCipher();
    List<TenantKeyRecord> changed = new java.util.ArrayList<>();
    int count = 0;
    for (TenantId tenant : store.tenants()) {
      TenantKeyRecord record = store.get(tenant);
      if (record.isShredded()) {
        continue;
      }
      TenantKeyRecord next = record;
      boolean modified = false;
      for (WrappedKey key : record.keys()) {
        if (to.hasId(key.masterKeyIdNoCopy())) {
          continue;
        }
        byte[] dataKey = KeyWrap.unwrap(aead, from, tenant, key);
        try {
          next =
              next.with(
                  KeyWrap.wrap(aead, to, tenant, key.version(), dataKey, random)
                      .withNonceLimit(key.nonceLimit()));
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
        count++;
        modified = true;
      }
      if (modified) {
        changed.add(next);
      }
    }
    if (!changed.isEmpty()) {
      store.putAll(changed);
    }
    return count;
  }

  /** Allocates a nonce (written into {@code out} at {@code nonceOffset}) and the key to use. */
  synchronized Slot nextEncryption(TenantId tenant, byte[] out, int nonceOffset) {
    TenantState state = state(tenant, true);
    if (state.next == state.limit) {
      WrappedKey latest = state.record.latest();
      if (Long.MAX_VALUE - state.limit < leaseBlock) {
        throw new KeyException(
            tenant + " key version " + latest.version() + " has used every nonce: rotate the key");
      }
      long newLimit = state.limit + leaseBlock;
      // Durable before any counter of the lease is used.
      TenantKeyRecord renewed = state.record.with(latest.withNonceLimit(newLimit));
      store.put(renewed);
      TenantState fresh = new TenantState(renewed, state.fixed);
      fresh.keys.putAll(state.keys);
      fresh.next = state.limit;
      fresh.limit = newLimit;
      cache.put(tenant, fresh);
      state = fresh;
    }
    Checks.checkState(state.next < state.limit, "next", state.next, "limit", state.limit);
    long counter = state.next++;
    EnvelopeLayout.putIntLe(out, nonceOffset, state.fixed);
    EnvelopeLayout.putLongLe(out, nonceOffset + 4, counter);
    int version = state.record.latest().version();
    // A copy: a concurrent destroyTenant wipes the cached array, never the caller's.
    return new Slot(version, key(tenant, state, version).clone());
  }

  /** A copy of the data key of a version, for decryption. */
  synchronized byte[] decryptionKey(TenantId tenant, int version) {
    TenantState state = state(tenant, false);
    if (state == null) {
      throw new KeyException(
          tenant + " has no data keys in the key store: cannot decrypt (unknown tenant key)");
    }
    if (state.record.version(version) == null) {
      throw new KeyException(
          tenant
              + " has no key version "
              + version
              + " (known versions 1.."
              + state.record.keys().size()
              + ")");
    }
    return key(tenant, state, version).clone();
  }

  private byte[] key(TenantId tenant, TenantState state, int version) {
    byte[] key = state.keys.get(version);
    if (key == null) {
      key = KeyWrap.unwrap(wrapCipher, master, tenant, state.record.version(version));
      state.keys.put(version, key);
    }
    return key;
  }

  /** The tenant's loaded state; creates version 1 when {@code create}, else null if unknown. */
  private TenantState state(TenantId tenant, boolean create) {
    Checks.checkNotNull(tenant, "tenant");
    checkOpen();
    TenantState state = cache.get(tenant);
    if (state != null) {
      return state;
    }
    TenantKeyRecord record = store.get(tenant);
    if (record == null) {
      if (!create) {
        return null;
      }
      record = TenantKeyRecord.active(tenant, List.of(newWrappedKey(tenant, 1)));
      store.put(record);
    }
    checkNotShredded(record);
    state = new TenantState(record, random.nextInt());
    cache.put(tenant, state);
    return state;
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("key manager is closed (its keys were wiped)");
    }
  }

  private WrappedKey newWrappedKey(TenantId tenant, int version) {
    byte[] dataKey = new byte[AeadCipher.KEY_LENGTH];
    random.nextBytes(dataKey);
    try {
      return KeyWrap.wrap(wrapCipher, master, tenant, version, dataKey, random);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private void evict(TenantId tenant) {
    TenantState state = cache.remove(tenant);
    if (state != null) {
      state.wipe();
    }
  }

  private static void checkNotShredded(TenantKeyRecord record) {
    if (record.isShredded()) {
      throw new KeyException(
          record.tenant()
              + "'s keys were destroyed (crypto-shredded): its data can no longer be decrypted"
              + " and no new keys can be created for it");
    }
  }
}
