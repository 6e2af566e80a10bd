package io.veritydb.crypto;

import io.veritydb.types.CorruptionException;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The key store file, little-endian: a fixed header, then one record per tenant, then a CRC32C of
 * the body.
 *
 * <pre>
 * header (32 bytes)
 *   0        4      6      8               16          20          24          28        32
 *   +--------+------+------+---------------+-----------+-----------+-----------+---------+
 *   | "VDKS" | ver=1| rsv=0| generation u64| tenants   | body bytes| rsv=0 u32 | CRC32C  |
 *   +--------+------+------+---------------+-----------+-----------+-----------+---------+
 *                                                       (CRC32C of header bytes [0, 28))
 * body: tenant records, ascending tenant id, each
 *   0               8       9       10      12
 *   +---------------+-------+-------+-------+------------------------------------+
 *   | tenant id u64 | state | rsv=0 | keys  | keys x 80-byte key entries         |
 *   +---------------+-------+-------+-------+------------------------------------+
 *   state: 1 = active (keys >= 1), 2 = shredded (keys = 0)
 * key entry (80 bytes)
 *   0           4                 12                20                                 80
 *   +-----------+-----------------+-----------------+----------------------------------+
 *   | version   | nonce limit u64 | master key id 8 | wrapped key: nonce|ct|tag (60)    |
 *   +-----------+-----------------+-----------------+----------------------------------+
 * trailer: CRC32C u32 of the body
 * </pre>
 *
 * The header CRC is checked before the body length is trusted, the body length is checked against
 * the file size and {@link #MAX_BODY} before anything is allocated, and the body CRC before any
 * record is parsed. Any mismatch, and any field out of its range (a non-zero reserved byte, tenants
 * out of order, a key version out of sequence), is a {@link CorruptionException} naming the file
 * and offset: what decodes encodes back to the same bytes.
 */
final class KeyStoreLayout {
  static final int MAGIC = 0x534B4456; // "VDKS" read little-endian
  static final short VERSION = 1;
  static final int HEADER = 32;
  static final int RESERVED_OFFSET = 6;
  static final int GENERATION_OFFSET = 8;
  static final int TENANTS_OFFSET = 16;
  static final int BODY_LENGTH_OFFSET = 20;
  static final int HEADER_RESERVED_OFFSET = 24;
  static final int HEADER_CRC_OFFSET = 28;
  static final int RECORD_HEADER = 12;
  static final int KEY_ENTRY = 4 + 8 + MasterKey.ID_LENGTH + WrappedKey.WRAPPED_LENGTH;
  static final int TRAILER = 4;
  static final byte ACTIVE = 1;
  static final byte SHREDDED = 2;

  /** The largest body accepted: 64 MiB, about 800,000 tenants with one key version each. */
  static final int MAX_BODY = 64 << 20;

  private KeyStoreLayout() {}

  /** The decoded contents of a key store file. */
  record Contents(long generation, List<TenantKeyRecord> records) {}

  static byte[] encode(long generation, Collection<TenantKeyRecord> records) {
    long body = 0;
    for (TenantKeyRecord r : records) {
      body += RECORD_HEADER + (long) KEY_ENTRY * r.keys().size();
    }
    if (body > MAX_BODY) {
      throw new io.veritydb.types.UnavailableException(
          "key store would exceed " + MAX_BODY + " bytes (" + records.size() + " tenants)");
    }
    ByteBuffer b =
        ByteBuffer.allocate(HEADER + (int) body + TRAILER).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(generation);
    b.putInt(records.size()).putInt((int) body).putInt(0);
    b.putInt(crc(b.array(), 0, HEADER_CRC_OFFSET));
    for (TenantKeyRecord r : records) {
      b.putLong(r.tenant().value());
      b.put(r.isShredded() ? SHREDDED : ACTIVE).put((byte) 0).putShort((short) r.keys().size());
      for (WrappedKey k : r.keys()) {
        b.putInt(k.version()).putLong(k.nonceLimit());
        b.put(k.masterKeyIdNoCopy()).put(k.wrappedNoCopy());
      }
    }
    b.putInt(crc(b.array(), HEADER, (int) body));
    io.veritydb.types.Checks.checkState(!b.hasRemaining(), "key store encoding length");
    return b.array();
  }

  /** Reads the header's body length after checking magic, version and header CRC. */
  static int bodyLength(byte[] header, long fileSize, Path file) {
    if (fileSize < HEADER + TRAILER) {
      throw corrupt(file, 0, "is " + fileSize + " bytes, shorter than its header");
    }
    ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != MAGIC) {
      throw corrupt(file, 0, "has a bad magic number (not a VerityDB key store)");
    }
    if (b.getInt(HEADER_CRC_OFFSET) != crc(header, 0, HEADER_CRC_OFFSET)) {
      throw corrupt(file, HEADER_CRC_OFFSET, "fails its header checksum");
    }
    if (b.getShort(4) != VERSION) {
      throw corrupt(file, 4, "has unsupported format version " + b.getShort(4));
    }
    if (b.getShort(RESERVED_OFFSET) != 0 || b.getInt(HEADER_RESERVED_OFFSET) != 0) {
      throw corrupt(file, RESERVED_OFFSET, "has non-zero reserved header bytes");
    }
    int body = b.getInt(BODY_LENGTH_OFFSET);
    if (body < 0 || body > MAX_BODY || HEADER + (long) body + TRAILER != fileSize) {
      throw corrupt(
          file,
          BODY_LENGTH_OFFSET,
          "declares a body of " + body + " bytes but the file is " + fileSize + " bytes");
    }
    return body;
  }

  /** Decodes a whole file whose header was checked by {@link #bodyLength}. */
  static Contents decode(byte[] bytes, Path file) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int body = b.getInt(BODY_LENGTH_OFFSET);
    if (b.getInt(HEADER + body) != crc(bytes, HEADER, body)) {
      throw corrupt(file, HEADER + body, "fails its body checksum");
    }
    long generation = b.getLong(GENERATION_OFFSET);
    int tenants = b.getInt(TENANTS_OFFSET);
    if (tenants < 0 || (long) tenants * RECORD_HEADER > body) {
      throw corrupt(file, TENANTS_OFFSET, "declares " + tenants + " tenants");
    }
    List<TenantKeyRecord> records = new ArrayList<>(tenants);
    b.position(HEADER);
    long previous = -1;
    for (int t = 0; t < tenants; t++) {
      int at = b.position();
      if (HEADER + body - at < RECORD_HEADER) {
        throw corrupt(file, at, "ends inside tenant record " + t);
      }
      long id = b.getLong();
      byte state = b.get();
      byte reserved = b.get();
      int count = Short.toUnsignedInt(b.getShort());
      if (reserved != 0) {
        throw corrupt(file, at + 9, "has a non-zero reserved byte in tenant record " + t);
      }
      if (id < 0 || id <= previous) {
        throw corrupt(file, at, "has tenant id " + id + " out of order after " + previous);
      }
      if (!(state == ACTIVE && count >= 1) && !(state == SHREDDED && count == 0)) {
        throw corrupt(
            file, at, "has tenant " + id + " in state " + state + " with " + count + " keys");
      }
      if (HEADER + body - b.position() < (long) count * KEY_ENTRY) {
        throw corrupt(file, at, "ends inside the keys of tenant " + id);
      }
      List<WrappedKey> keys = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        int version = b.getInt();
        long limit = b.getLong();
        byte[] masterId = new byte[MasterKey.ID_LENGTH];
        byte[] wrapped = new byte[WrappedKey.WRAPPED_LENGTH];
        b.get(masterId).get(wrapped);
        if (version != k + 1 || limit < 0) {
          throw corrupt(
              file, at, "has tenant " + id + " key version " + version + " limit " + limit);
        }
        keys.add(new WrappedKey(version, masterId, limit, wrapped));
      }
      TenantId tenant = new TenantId(id);
      records.add(
          state == SHREDDED
              ? TenantKeyRecord.shredded(tenant)
              : TenantKeyRecord.active(tenant, keys));
      previous = id;
    }
    if (b.position() != HEADER + body) {
      throw corrupt(file, b.position(), "has " + (HEADER + body - b.position()) + " stray bytes");
    }
    return new Contents(generation, records);
  }

  static CorruptionException corrupt(Path file, long offset, String what) {
    return new CorruptionException("key store " + file + " " + what + " (offset " + offset + ")");
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
