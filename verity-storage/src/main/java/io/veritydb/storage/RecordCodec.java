package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.CRC_LENGTH;
import static io.veritydb.storage.RecordDescriptor.FLAGS_OFFSET;
import static io.veritydb.storage.RecordDescriptor.FLAG_COMPRESSED;
import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;
import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH_OFFSET;
import static io.veritydb.storage.RecordDescriptor.KIND_OFFSET;
import static io.veritydb.storage.RecordDescriptor.MAGIC;
import static io.veritydb.storage.RecordDescriptor.MAGIC_OFFSET;
import static io.veritydb.storage.RecordDescriptor.POSITION_OFFSET;
import static io.veritydb.storage.RecordDescriptor.PREVIOUS_CHAIN_OFFSET;
import static io.veritydb.storage.RecordDescriptor.RESERVED_OFFSET;
import static io.veritydb.storage.RecordDescriptor.STORED_LENGTH_OFFSET;
import static io.veritydb.storage.RecordDescriptor.TENANT_OFFSET;
import static io.veritydb.storage.RecordDescriptor.TIMESTAMP_OFFSET;
import static io.veritydb.storage.RecordDescriptor.UNCOMPRESSED_LENGTH_OFFSET;
import static io.veritydb.storage.RecordDescriptor.VERSION;
import static io.veritydb.storage.RecordDescriptor.VERSION_OFFSET;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.ChainHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** Reads and writes the fields of {@link RecordDescriptor} in a byte array. Stateless. */
final class RecordCodec {
  private RecordCodec() {}

  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static int getInt(byte[] b, int offset) {
    return (int) INT.get(b, offset);
  }

  static long getLong(byte[] b, int offset) {
    return (long) LONG.get(b, offset);
  }

  static short getShort(byte[] b, int offset) {
    return (short) SHORT.get(b, offset);
  }

  static void putInt(byte[] b, int offset, int value) {
    INT.set(b, offset, value);
  }

  static void putLong(byte[] b, int offset, long value) {
    LONG.set(b, offset, value);
  }

  /** Writes a header at {@code at}; the previous chain hash is written separately. */
  static void writeHeader(
      byte[] b,
      int at,
      int storedLength,
      int uncompressedLength,
      long position,
      byte kind,
      int flags,
      long tenant,
      long timestampMicros) {
    INT.set(b, at + MAGIC_OFFSET, MAGIC);
    SHORT.set(b, at + VERSION_OFFSET, VERSION);
    SHORT.set(b, at + HEADER_LENGTH_OFFSET, (short) HEADER_LENGTH);
    INT.set(b, at + STORED_LENGTH_OFFSET, storedLength);
    INT.set(b, at + UNCOMPRESSED_LENGTH_OFFSET, uncompressedLength);
    LONG.set(b, at + POSITION_OFFSET, position);
    b[at + KIND_OFFSET] = kind;
    b[at + RESERVED_OFFSET] = 0;
    SHORT.set(b, at + RESERVED_OFFSET + 1, (short) 0);
    INT.set(b, at + FLAGS_OFFSET, flags);
    LONG.set(b, at + TENANT_OFFSET, tenant);
    LONG.set(b, at + TIMESTAMP_OFFSET, timestampMicros);
  }

  /**
   * Checks the header at {@code at} (which must have {@link RecordDescriptor#HEADER_LENGTH} bytes
   * available) and returns null when it is well-formed, else the reason it is not. Does not check
   * the CRC or the position.
   */
  static String checkHeader(byte[] b, int at, int maxPayload) {
    if (getInt(b, at + MAGIC_OFFSET) != MAGIC) {
      return "bad magic";
    }
    if (getShort(b, at + VERSION_OFFSET) != VERSION) {
      return "unknown format version " + getShort(b, at + VERSION_OFFSET);
    }
    if (getShort(b, at + HEADER_LENGTH_OFFSET) != HEADER_LENGTH) {
      return "bad header length " + getShort(b, at + HEADER_LENGTH_OFFSET);
    }
    int stored = getInt(b, at + STORED_LENGTH_OFFSET);
    int uncompressed = getInt(b, at + UNCOMPRESSED_LENGTH_OFFSET);
    if (stored < 0 || stored > maxPayload || uncompressed < 0 || uncompressed > maxPayload) {
      return "payload length out of range: stored=" + stored + " uncompressed=" + uncompressed;
    }
    int flags = getInt(b, at + FLAGS_OFFSET);
    if ((flags & FLAG_COMPRESSED) == 0 && stored != uncompressed) {
      return "uncompressed record with stored=" + stored + " uncompressed=" + uncompressed;
    }
    if (b[at + RESERVED_OFFSET] != 0 || getShort(b, at + RESERVED_OFFSET + 1) != 0) {
      return "reserved header bytes are not zero";
    }
    if ((b[at + KIND_OFFSET] & 0xFF) == RecordDescriptor.KIND_INVALID) {
      return "invalid record kind 0";
    }
    if (getLong(b, at + TENANT_OFFSET) < 0) {
      return "negative tenant id";
    }
    return null;
  }

  static int storedLength(byte[] b, int at) {
    return getInt(b, at + STORED_LENGTH_OFFSET);
  }

  static long position(byte[] b, int at) {
    return getLong(b, at + POSITION_OFFSET);
  }

  /** CRC32C of the record at {@code at} (header and payload). */
  static int crc(CRC32C crc, byte[] b, int at, int storedLength) {
    crc.reset();
    crc.update(b, at, HEADER_LENGTH + storedLength);
    return (int) crc.getValue();
  }

  static boolean crcMatches(CRC32C crc, byte[] b, int at, int storedLength) {
    return crc(crc, b, at, storedLength) == getInt(b, at + HEADER_LENGTH + storedLength);
  }

  static void writeCrc(CRC32C crc, byte[] b, int at, int storedLength) {
    putInt(b, at + HEADER_LENGTH + storedLength, crc(crc, b, at, storedLength));
  }

  /** The record's digest (see {@link RecordDescriptor}) into {@code out} at {@code outOffset}. */
  static void digest(Blake3 blake3, byte[] b, int at, int storedLength, byte[] out, int outOffset) {
    blake3.reset();
    blake3.update(b, at, PREVIOUS_CHAIN_OFFSET);
    int afterChain = PREVIOUS_CHAIN_OFFSET + ChainHash.LENGTH;
    blake3.update(b, at + afterChain, HEADER_LENGTH - afterChain + storedLength);
    blake3.finish(out, outOffset);
  }

  static boolean previousChainEquals(byte[] b, int at, byte[] chain) {
    return Arrays.equals(
        b,
        at + PREVIOUS_CHAIN_OFFSET,
        at + PREVIOUS_CHAIN_OFFSET + ChainHash.LENGTH,
        chain,
        0,
        ChainHash.LENGTH);
  }

  static int totalLength(int storedLength) {
    return HEADER_LENGTH + storedLength + CRC_LENGTH;
  }
}
