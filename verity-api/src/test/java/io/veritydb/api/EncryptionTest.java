package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.MasterKey;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionTest {
  private static final String SECRET = "diagnosis-that-must-not-leak";

  @TempDir Path dir;

  @Test
  void shouldKeepTenantPayloadsUnreadableOnDisk() throws IOException {
    write(Verity.builder(dir));
    assertFalse(logContains(dir, SECRET), "the log holds the plaintext");
    try (Verity db = Verity.open(dir)) {
      assertEquals(
          SECRET,
          db.tenant(TenantId.of(1)).query("SELECT v FROM t WHERE id = 1").get(0).getString("v"));
    }
    assertTrue(Verity.verify(dir, null, (p, n) -> {}).ok());
  }

  @Test
  void shouldStoreThePlaintextOnlyWhenEncryptionIsOff() throws IOException {
    write(Verity.builder(dir).encryptPayloads(false));
    assertTrue(logContains(dir, SECRET), "a plaintext log should hold the text (control case)");
  }

  @Test
  void shouldRefuseAWrongMasterKeyAndChangeNothing() throws IOException {
    write(Verity.builder(dir));
    List<byte[]> before = snapshot(dir);
    byte[] other = new byte[MasterKey.LENGTH];
    java.util.Arrays.fill(other, (byte) 7);
    MasterKey wrong = MasterKey.of(other);
    KeyException e =
        assertThrows(KeyException.class, () -> Verity.builder(dir).keyProvider(() -> wrong).open());
    assertTrue(e.getMessage().contains("wrong master key"), e.getMessage());
    assertTrue(sameFiles(before, snapshot(dir)), "a refused open must not change any file");
  }

  @Test
  void shouldRefuseAMissingMasterKeyFile() throws IOException {
    write(Verity.builder(dir));
    Files.delete(dir.resolve("keys").resolve("master.key"));
    KeyException e = assertThrows(KeyException.class, () -> Verity.open(dir));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  private static void write(Verity.Builder builder) {
    try (Verity db = builder.open()) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)");
      t.execute("INSERT INTO t (id, v) VALUES (1, ?)", SECRET);
    }
  }

  private static boolean logContains(Path dir, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
          if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static List<byte[]> snapshot(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!file.getFileName().toString().equals("LOCK")) {
          out.add(file.toString().getBytes(StandardCharsets.UTF_8));
          out.add(Files.readAllBytes(file));
        }
      }
    }
    return out;
  }

  private static boolean sameFiles(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(
          a.get(i),
          b.get(i),
          "file changed: " + new String(a.get(i - i % 2), StandardCharsets.UTF_8));
    }
    return true;
  }
}
