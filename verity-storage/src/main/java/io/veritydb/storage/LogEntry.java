package io.veritydb.storage;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.TenantId;

/**
 * What a caller appends: a record kind (16..255, unsigned; lower kinds are the log's own), the
 * tenant, the caller's timestamp in epoch microseconds (the log never reads a clock), caller flags
 * (e.g. {@link RecordDescriptor#FLAG_ENCRYPTED}; the log's own flags are rejected) and the payload.
 *
 * <p>The payload array is not copied: do not modify it until {@link Log#append} returns.
 */
public final class LogEntry {
  private final byte kind;
  private final TenantId tenant;
  private final long timestampMicros;
  private final int flags;
  private final byte[] payload;

  public LogEntry(byte kind, TenantId tenant, long timestampMicros, int flags, byte[] payload) {
    if ((kind & 0xFF) < RecordDescriptor.FIRST_USER_KIND) {
      throw new BadRequestException(
          "record kind "
              + (kind & 0xFF)
              + " is reserved for the log; use "
              + RecordDescriptor.FIRST_USER_KIND
              + "..255");
    }
    if ((flags & RecordDescriptor.LOG_FLAGS) != 0) {
      throw new BadRequestException(
          "record flags " + Integer.toHexString(flags) + " include flags only the log may set");
    }
    this.kind = kind;
    this.tenant = Checks.checkNotNull(tenant, "tenant");
    this.timestampMicros = timestampMicros;
    this.flags = flags;
    this.payload = Checks.checkNotNull(payload, "payload");
  }

  public byte kind() {
    return kind;
  }

  public TenantId tenant() {
    return tenant;
  }

  public long timestampMicros() {
    return timestampMicros;
  }

  public int flags() {
    return flags;
  }

  /** The payload array itself (not a copy). */
  byte[] payloadArray() {
    return payload;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    return payload.clone();
  }

  public int payloadLength() {
    return payload.length;
  }
}
