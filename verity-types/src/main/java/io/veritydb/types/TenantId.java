package io.veritydb.types;

/**
 * A tenant: the unit of isolation and of encryption. Tenant ids are positive; {@code 0} is reserved
 * for the system tenant that owns database-wide records (see {@link #SYSTEM}).
 */
public record TenantId(long value) implements Comparable<TenantId> {
  /** The database itself, for records that belong to no user tenant. */
  public static final TenantId SYSTEM = new TenantId(0);

  public TenantId {
    if (value < 0) {
      throw new BadRequestException(
          "tenant id must be >= 0 (0 is the system tenant), was " + value);
    }
  }

  /** A user tenant; rejects 0 (reserved for the system) and negative ids. */
  public static TenantId of(long value) {
    if (value <= 0) {
      throw new BadRequestException(
          "tenant id must be positive (0 is reserved for the system), was " + value);
    }
    return new TenantId(value);
  }

  public boolean isSystem() {
    return value == 0;
  }

  @Override
  public int compareTo(TenantId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "tenant " + value;
  }
}
