package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.Mutations;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import io.veritydb.types.VerityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzz targets of the key files: the key store ({@link FileKeyStore}, read through {@link
 * SimFileIo} as the engine reads it) and the master key file ({@link MasterKeyFileLayout}, and
 * {@link FileKeyProvider} on a real file). Mutated valid files, half of them with their checksums
 * recomputed after the mutation so that the damage reaches the fields behind the checksum, and
 * random bytes: each opens to contents that encode back to exactly the file, or fails with a {@link
 * CorruptionException} or {@link KeyException} naming the file.
 */
class KeyFileFuzzTest {
  private static final Path DIR = Path.of("/fuzz/keys");
  private static final Path STORE_FILE = DIR.resolve(FileKeyStore.FILE_NAME);
  private static final Path MASTER_FILE = Path.of("/fuzz/master.key");

  private static Path realDirectory;

  private static WrappedKey key(int version, int fill, long limit) {
    byte[] wrapped = new byte[WrappedKey.WRAPPED_LENGTH];
    Arrays.fill(wrapped, (byte) fill);
    byte[] master = {1, 2, 3, 4, 5, 6, 7, (byte) fill};
    return new WrappedKey(version, master, limit, wrapped);
  }

  private static Arbitrary<byte[]> keyStores() {
    Arbitrary<TenantKeyRecord> active =
        Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.longs().between(0, 1L << 40))
            .as(
                (versions, limit) -> {
                  List<WrappedKey> keys = new ArrayList<>();
                  for (int v = 1; v <= versions; v++) {
                    keys.add(key(v, v * 17, limit + v));
                  }
                  return TenantKeyRecord.active(TenantId.of(1), keys);
                });
    Arbitrary<List<TenantKeyRecord>> records =
        Arbitraries.oneOf(active, Arbitraries.just(TenantKeyRecord.shredded(TenantId.of(1))))
            .list()
            .ofMaxSize(4)
            .map(
                list -> {
                  List<TenantKeyRecord> numbered = new ArrayList<>();
                  for (int i = 0; i < list.size(); i++) {
                    TenantKeyRecord r = list.get(i);
                    TenantId tenant = new TenantId(1 + 3L * i);
                    numbered.add(
                        r.isShredded()
                            ? TenantKeyRecord.shredded(tenant)
                            : TenantKeyRecord.active(tenant, r.keys()));
                  }
                  return numbered;
                });
    return Combinators.combine(Arbitraries.longs().between(1, 1000), records)
        .as(KeyStoreLayout::encode);
  }

  private static int crc(byte[] b, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, length);
    return (int) crc.getValue();
  }

  /** Recomputes the header checksum, and the body checksum where the header's length puts it. */
  private static byte[] resealKeyStore(byte[] b) {
    if (b.length < KeyStoreLayout.HEADER) {
      return b;
    }
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(KeyStoreLayout.HEADER_CRC_OFFSET, crc(b, 0, KeyStoreLayout.HEADER_CRC_OFFSET));
    long body = buf.getInt(KeyStoreLayout.BODY_LENGTH_OFFSET);
    if (body >= 0 && KeyStoreLayout.HEADER + body + KeyStoreLayout.TRAILER <= b.length) {
      buf.putInt(KeyStoreLayout.HEADER + (int) body, crc(b, KeyStoreLayout.HEADER, (int) body));
    }
    return b;
  }

  @Provide
  Arbitrary<byte[]> keyStoreFiles() {
    return Mutations.inputs(keyStores(), 4, 200);
  }

  private static byte[] resealMasterKey(byte[] b) {
    if (b.length >= MasterKeyFileLayout.LENGTH) {
      ByteBuffer.wrap(b)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(MasterKeyFileLayout.CRC_OFFSET, crc(b, 0, MasterKeyFileLayout.CRC_OFFSET));
    }
    return b;
  }

  @Provide
  Arbitrary<byte[]> masterKeyFiles() {
    Arbitrary<byte[]> valid =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(MasterKey.LENGTH)
            .filter(secret -> !MasterKey.isAllZero(secret))
            .map(secret -> MasterKeyFileLayout.encode(MasterKey.of(secret)));
    return Mutations.inputs(valid, 4, 80);
  }

  private static void write(SimFileIo io, Path file, byte[] bytes) {
    io.createDirectories(file.getParent());
    try (FileHandle h = io.open(file, FileIo.Mode.CREATE)) {
      h.write(ByteBuffer.wrap(bytes), 0);
      h.sync();
    }
  }

  private static void assertNamesFile(VerityException e, Path file) {
    assertTrue(
        e instanceof CorruptionException || e instanceof KeyException, e.getClass().getName());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Property(tries = 3000)
  void keyStoreOpensOrIsCorruptionNamingTheFile(
      @ForAll("keyStoreFiles") byte[] file, @ForAll boolean reseal) {
    byte[] bytes = reseal ? resealKeyStore(file.clone()) : file;
    SimFileIo io = new SimFileIo(1);
    write(io, STORE_FILE, bytes);
    FileKeyStore store;
    try {
      store = FileKeyStore.open(io, DIR);
    } catch (CorruptionException | KeyException e) {
      assertNamesFile(e, STORE_FILE);
      return;
    }
    List<TenantKeyRecord> records = new ArrayList<>();
    for (TenantId t : store.tenants()) {
      records.add(store.get(t));
    }
    assertArrayEquals(bytes, KeyStoreLayout.encode(store.generation(), records));
  }

  @Property(tries = 3000)
  void masterKeyDecodesOrIsKeyExceptionNamingTheFile(
      @ForAll("masterKeyFiles") byte[] file, @ForAll boolean reseal) {
    byte[] bytes = reseal ? resealMasterKey(file.clone()) : file;
    MasterKey key;
    try {
      key = MasterKeyFileLayout.decode(bytes, MASTER_FILE);
    } catch (KeyException e) {
      assertNamesFile(e, MASTER_FILE);
      return;
    }
    assertArrayEquals(bytes, MasterKeyFileLayout.encode(key));
  }

  /** The same through {@link FileKeyProvider}, which reads a real owner-only file. */
  @Property(tries = 200)
  void masterKeyFileOpensOrIsKeyExceptionNamingTheFile(
      @ForAll("masterKeyFiles") byte[] file, @ForAll boolean reseal) throws IOException {
    byte[] bytes = reseal ? resealMasterKey(file.clone()) : file;
    Path path = realDirectory().resolve("master.key");
    Files.deleteIfExists(path);
    Files.createFile(
        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(path, bytes);
    MasterKey key;
    try {
      key = FileKeyProvider.open(path).masterKey();
    } catch (KeyException e) {
      assertNamesFile(e, path);
      return;
    }
    assertEquals(MasterKeyFileLayout.LENGTH, bytes.length);
    assertArrayEquals(bytes, MasterKeyFileLayout.encode(key));
  }

  private static synchronized Path realDirectory() {
    if (realDirectory == null) {
      try {
        realDirectory = Files.createTempDirectory("verity-master-key-fuzz");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return realDirectory;
  }

  @AfterContainer
  static void deleteRealDirectory() throws IOException {
    if (realDirectory != null) {
      Files.deleteIfExists(realDirectory.resolve("master.key"));
      Files.deleteIfExists(realDirectory);
      realDirectory = null;
    }
  }
}
