package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Key file shapes that {@link KeyFileFuzzTest} found, each opened to the error its reader
 * documents, naming the file.
 */
class KeyFileCorruptionTest {
  private static final Path DIR = Path.of("/fuzz/keys");
  private static final Path FILE = DIR.resolve(FileKeyStore.FILE_NAME);

  private static byte[] store() {
    byte[] wrapped = new byte[WrappedKey.WRAPPED_LENGTH];
    Arrays.fill(wrapped, (byte) 5);
    WrappedKey key = new WrappedKey(1, new byte[8], 100, wrapped);
    return KeyStoreLayout.encode(3, List.of(TenantKeyRecord.active(TenantId.of(1), List.of(key))));
  }

  private static int crc(byte[] b, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, length);
    return (int) crc.getValue();
  }

  /** Recomputes both checksums of a key store whose body length is unchanged. */
  private static void reseal(byte[] b) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(KeyStoreLayout.HEADER_CRC_OFFSET, crc(b, 0, KeyStoreLayout.HEADER_CRC_OFFSET));
    int body = b.length - KeyStoreLayout.HEADER - KeyStoreLayout.TRAILER;
    buf.putInt(KeyStoreLayout.HEADER + body, crc(b, KeyStoreLayout.HEADER, body));
  }

  private static void assertCorruptionNamingTheFile(byte[] file) {
    SimFileIo io = new SimFileIo(1);
    io.createDirectories(DIR);
    try (FileHandle h = io.open(FILE, FileIo.Mode.CREATE)) {
      h.write(ByteBuffer.wrap(file), 0);
    }
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> FileKeyStore.open(io, DIR));
    assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
  }

  @Test
  void keyStoreWithANonZeroReservedByteIsCorruption() {
    byte[] header = store();
    header[6] = 1; // the reserved u16 after the version
    reseal(header);
    assertCorruptionNamingTheFile(header);

    byte[] record = store();
    record[KeyStoreLayout.HEADER + 9] = 1; // the reserved byte after the tenant's state
    reseal(record);
    assertCorruptionNamingTheFile(record);
  }
}
