package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.KeyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyProviderTest {
  @TempDir Path dir;

  @Test
  void shouldCreateOwnerOnlyKeyFileAndReadTheSameKeyBack() throws IOException {
    Path file = dir.resolve("sub/master.key");
    FileKeyProvider created = FileKeyProvider.openOrCreate(file, new SecureRandom());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(MasterKeyFileLayout.LENGTH, Files.size(file));
    assertFalse(Files.exists(dir.resolve("sub/master.key.tmp")));
    FileKeyProvider reopened = FileKeyProvider.open(file);
    assertEquals(created.masterKey().id(), reopened.masterKey().id());
    assertEquals(
        created.masterKey().id(),
        FileKeyProvider.openOrCreate(file, new SecureRandom()).masterKey().id(),
        "openOrCreate never replaces an existing key");
    assertFalse(created.masterKey().toString().contains(hex(created.masterKey().secret())));
  }

  @Test
  void shouldRefuseAKeyFileReadableByGroupOrOthers() throws IOException {
    Path file = dir.resolve("master.key");
    FileKeyProvider.openOrCreate(file, new SecureRandom());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    KeyException e = assertThrows(KeyException.class, () -> FileKeyProvider.open(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
  }

  @Test
  void shouldReportMissingTruncatedExtendedAndEditedFiles() throws IOException {
    Path file = dir.resolve("master.key");
    assertTrue(
        assertThrows(KeyException.class, () -> FileKeyProvider.open(file))
            .getMessage()
            .contains("does not exist"));
    FileKeyProvider.openOrCreate(file, new SecureRandom());
    byte[] good = Files.readAllBytes(file);
    for (int length = 0; length < good.length; length++) {
      Files.write(file, Arrays.copyOf(good, length));
      KeyException e = assertThrows(KeyException.class, () -> FileKeyProvider.open(file));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
    Files.write(file, Arrays.copyOf(good, good.length + 1));
    assertThrows(KeyException.class, () -> FileKeyProvider.open(file));
    for (int i = 0; i < good.length; i++) {
      byte[] edited = good.clone();
      edited[i] ^= 1;
      Files.write(file, edited);
      KeyException e = assertThrows(KeyException.class, () -> FileKeyProvider.open(file));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
    Files.write(file, good);
    FileKeyProvider.open(file);
  }

  @Test
  void shouldIgnoreAStrayTempFileOfACrashedCreate() throws IOException {
    Path file = dir.resolve("master.key");
    Files.write(dir.resolve("master.key.tmp"), new byte[] {1, 2, 3});
    FileKeyProvider.openOrCreate(file, new SecureRandom());
    assertFalse(Files.exists(dir.resolve("master.key.tmp")));
    FileKeyProvider.open(file);
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }

  @Test
  void shouldKeepTheKeyOwnerOnlyOnAnyFileIo() {
    io.veritydb.simdisk.SimFileIo sim = new io.veritydb.simdisk.SimFileIo(3);
    Path file = Path.of("/keys/master.key");
    FileKeyProvider created = FileKeyProvider.openOrCreate(sim, file, new SecureRandom());
    assertEquals("rw-------", PosixFilePermissions.toString(sim.permissions(file).orElseThrow()));
    assertEquals(created.masterKey().id(), FileKeyProvider.open(sim, file).masterKey().id());
    sim.crash();
    assertEquals(
        created.masterKey().id(),
        FileKeyProvider.open(sim, file).masterKey().id(),
        "a created key file is durable");
    sim.shareWithEveryone(file);
    KeyException e = assertThrows(KeyException.class, () -> FileKeyProvider.open(sim, file));
    assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
  }

  @Test
  void shouldRefuseAnAllZeroKey() {
    KeyException e =
        assertThrows(KeyException.class, () -> MasterKey.of(new byte[MasterKey.LENGTH]));
    assertTrue(e.getMessage().contains("all zero"), e.getMessage());
    assertThrows(KeyException.class, () -> Ed25519KeyPair.fromPrivateKey(new byte[32]));
  }
}
