package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.ChainHash;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.Arrays;

/**
 * A record read from the log, already checked (CRC, position, structure). Holds the record's bytes
 * as stored; {@link #chainHash()} is computed from them on first use (two BLAKE3 calls), so a
 * replay that does not ask for it does not pay for it.
 */
public final class LogRecord {
  private static final ThreadLocal<Blake3> BLAKE3 = ThreadLocal.withInitial(Blake3::new);

  private final byte[] stored;
  private final int storedLength;
  private final byte[] uncompressed;
  private volatile ChainHash chainHash;

  /**
   * {@code stored} starts with the header, followed by {@code storedLength} payload bytes as stored
   * (anything after them is ignored); {@code uncompressed} is the decompressed payload when the
   * record is compressed, else null.
   */
  LogRecord(byte[] stored, int storedLength, byte[] uncompressed) {
    this.stored = stored;
    this.storedLength = storedLength;
    this.uncompressed = uncompressed;
  }

  public LogPosition position() {
    return LogPosition.of(RecordCodec.position(stored, 0));
  }

  public byte kind() {
    return stored[RecordDescriptor.KIND_OFFSET];
  }

  public TenantId tenant() {
    return new TenantId(RecordCodec.getLong(stored, RecordDescriptor.TENANT_OFFSET));
  }

  public long timestampMicros() {
    return RecordCodec.getLong(stored, RecordDescriptor.TIMESTAMP_OFFSET);
  }

  /** The caller's flags (without the log's own, such as compression). */
  public int flags() {
    return RecordCodec.getInt(stored, RecordDescriptor.FLAGS_OFFSET) & ~RecordDescriptor.LOG_FLAGS;
  }

  /** Whether the payload is stored LZ4-compressed. */
  public boolean isCompressed() {
    return uncompressed != null;
  }

  /** A copy of the payload, decompressed. */
  public byte[] payload() {
    return uncompressed != null
        ? uncompressed.clone()
        : Arrays.copyOfRange(stored, HEADER_LENGTH, HEADER_LENGTH + storedLength);
  }

  public int payloadLength() {
    return uncompressed != null ? uncompressed.length : storedLength;
  }

  /** Length of the payload as stored (compressed or not). */
  public int storedPayloadLength() {
    return storedLength;
  }

  /**
   * The record's header and payload exactly as stored (compressed, encrypted: as on disk), without
   * the trailing CRC32C. This is the leaf data of the log's Merkle tree.
   */
  public byte[] storedBytes() {
    return Arrays.copyOfRange(stored, 0, HEADER_LENGTH + storedLength);
  }

  /** The chain hash of the record before this one, as stored in this record's header. */
  public ChainHash previousChainHash() {
    return ChainHash.of(stored, RecordDescriptor.PREVIOUS_CHAIN_OFFSET);
  }

  /** This record's digest: BLAKE3 over its header (without the chain field) and stored payload. */
  public byte[] digest() {
    byte[] out = new byte[Blake3.LENGTH];
    RecordCodec.digest(BLAKE3.get(), stored, 0, storedLength, out, 0);
    return out;
  }

  /** The chain hash up to and including this record: BLAKE3(previous chain hash || digest). */
  public ChainHash chainHash() {
    ChainHash h = chainHash;
    if (h == null) {
      h = BLAKE3.get().chain(previousChainHash(), digest());
      chainHash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return "LogRecord{"
        + position()
        + ", kind="
        + (kind() & 0xFF)
        + ", "
        + tenant()
        + ", payload="
        + payloadLength()
        + " bytes}";
  }
}
