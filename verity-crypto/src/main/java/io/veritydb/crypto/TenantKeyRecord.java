package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the key store holds for one tenant: its wrapped data key versions (ascending, 1..n without
 * gaps), or the fact that its keys were destroyed (crypto-shredded), in which case it holds no key
 * at all. Immutable.
 */
public final class TenantKeyRecord {
  /** The most key versions one tenant may have (the on-disk count is 16 bits). */
  public static final int MAX_VERSIONS = 0xFFFF;

  private final TenantId tenant;
  private final boolean shredded;
  private final List<WrappedKey> keys;

  private TenantKeyRecord(TenantId tenant, boolean shredded, List<WrappedKey> keys) {
    this.tenant = Checks.checkNotNull(tenant, "tenant");
    this.shredded = shredded;
    this.keys = keys;
    Checks.checkArgument(!shredded || keys.isEmpty(), "a shredded tenant holds no keys");
    Checks.checkArgument(shredded || !keys.isEmpty(), "an active tenant holds at least one key");
    Checks.checkArgument(keys.size() <= MAX_VERSIONS, "versions", keys.size());
    for (int i = 0; i < keys.size(); i++) {
      Checks.checkArgument(
          keys.get(i).version() == i + 1, "version", keys.get(i).version(), "expected", i + 1);
    }
  }

  /** An active tenant with key versions 1..n, in order. */
  public static TenantKeyRecord active(TenantId tenant, List<WrappedKey> keys) {
    Checks.checkNotNull(keys, "keys");
    return new TenantKeyRecord(tenant, false, Collections.unmodifiableList(new ArrayList<>(keys)));
  }

  /** A tenant whose keys were destroyed. */
  public static TenantKeyRecord shredded(TenantId tenant) {
    return new TenantKeyRecord(tenant, true, List.of());
  }

  public TenantId tenant() {
    return tenant;
  }

  public boolean isShredded() {
    return shredded;
  }

  /** The key versions, ascending (empty when shredded). */
  public List<WrappedKey> keys() {
    return keys;
  }

  /** The newest version (the one new writes use). */
  public WrappedKey latest() {
    Checks.checkState(!shredded, "latest key of a shredded tenant");
    return keys.get(keys.size() - 1);
  }

  /** Version {@code version}, or null when there is no such version. */
  public WrappedKey version(int version) {
    return version >= 1 && version <= keys.size() ? keys.get(version - 1) : null;
  }

  /** This record with {@code key} added (the next version) or replacing the same version. */
  public TenantKeyRecord with(WrappedKey key) {
    Checks.checkState(!shredded, "adding a key to a shredded tenant");
    List<WrappedKey> copy = new ArrayList<>(keys);
    if (key.version() == keys.size() + 1) {
      copy.add(key);
    } else {
      Checks.checkArgument(
          key.version() >= 1 && key.version() <= keys.size(), "version", key.version());
      copy.set(key.version() - 1, key);
    }
    return new TenantKeyRecord(tenant, false, Collections.unmodifiableList(copy));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TenantKeyRecord r
        && tenant.equals(r.tenant)
        && shredded == r.shredded
        && keys.equals(r.keys);
  }

  @Override
  public int hashCode() {
    return tenant.hashCode() * 31 + keys.hashCode() + (shredded ? 1 : 0);
  }

  @Override
  public String toString() {
    return tenant + (shredded ? " shredded" : " " + keys);
  }
}
