package io.veritydb.crypto;

import io.veritydb.types.KeyException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The master key file: 52 bytes, little-endian.
 *
 * <pre>
 *   0               4       6       8                                40              48      52
 *   +---------------+-------+-------+--------------------------------+---------------+-------+
 *   | magic "VDMK"  | ver=1 | rsv=0 | master key (32 bytes)          | key id (8)    | CRC32C|
 *   +---------------+-------+-------+--------------------------------+---------------+-------+
 * </pre>
 *
 * The key id is redundant ({@link MasterKey#id()} of the key) and the CRC32C covers bytes [0, 48):
 * a truncated, extended or edited file is reported as such, never used as a different key.
 */
final class MasterKeyFileLayout {
  static final int MAGIC = 0x4B4D4456; // "VDMK" read little-endian
  static final short VERSION = 1;
  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = 4;
  static final int RESERVED_OFFSET = 6;
  static final int KEY_OFFSET = 8;
  static final int ID_OFFSET = KEY_OFFSET + MasterKey.LENGTH;
  static final int CRC_OFFSET = ID_OFFSET + MasterKey.ID_LENGTH;
  static final int LENGTH = CRC_OFFSET + 4;

  private MasterKeyFileLayout() {}

  static byte[] encode(MasterKey key) {
    ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC_OFFSET, MAGIC);
    b.putShort(VERSION_OFFSET, VERSION);
    b.putShort(RESERVED_OFFSET, (short) 0);
    b.put(KEY_OFFSET, key.secret());
    b.put(ID_OFFSET, key.idBytes());
    b.putInt(CRC_OFFSET, crc(b.array()));
    return b.array();
  }

  /** Decodes and verifies a whole file's bytes; {@code file} is only named in errors. */
  static MasterKey decode(byte[] bytes, Path file) {
    if (bytes.length != LENGTH) {
      throw new KeyException(
          "master key file "
              + file
              + " is "
              + bytes.length
              + " bytes, expected "
              + LENGTH
              + ": truncated or not a VerityDB master key file");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(MAGIC_OFFSET) != MAGIC) {
      throw new KeyException("master key file " + file + " has a bad magic number: not a key file");
    }
    if (b.getShort(VERSION_OFFSET) != VERSION) {
      throw new KeyException(
          "master key file " + file + " has unsupported format version " + b.getShort(4));
    }
    if (b.getInt(CRC_OFFSET) != crc(bytes)) {
      throw new KeyException(
          "master key file " + file + " fails its checksum: the file was damaged or edited");
    }
    byte[] secret = new byte[MasterKey.LENGTH];
    b.get(KEY_OFFSET, secret);
    MasterKey key;
    try {
      key = MasterKey.of(secret);
    } catch (KeyException e) {
      throw new KeyException("master key file " + file + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
    byte[] id = new byte[MasterKey.ID_LENGTH];
    b.get(ID_OFFSET, id);
    if (!key.hasId(id) || b.getShort(RESERVED_OFFSET) != 0) {
      throw new KeyException(
          "master key file " + file + " is inconsistent: the stored key id does not match the key");
    }
    return key;
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, CRC_OFFSET);
    return (int) crc.getValue();
  }
}
