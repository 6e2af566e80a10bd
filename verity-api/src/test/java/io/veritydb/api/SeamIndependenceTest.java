package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.ForwardingFileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who wraps the real disk (to count bytes, probe latency, encrypt at rest) gets exactly what
 * the real disk gets: the directory lock, a signing key and a master key drawn from a SecureRandom
 * and kept owner-only in the directory. Nothing depends on which FileIo was passed.
 */
class SeamIndependenceTest {
  /** The signing key simulated disks once had: publicly known, so it must never sign real data. */
  private static final byte[] KNOWN_SIMULATION_SEED =
      Arrays.copyOf(
          "veritydb simulation signing key, never for real data"
              .getBytes(StandardCharsets.US_ASCII),
          32);

  @TempDir Path root;

  /** Counts operations, as a user's metrics wrapper would. */
  private static final class CountingFileIo extends ForwardingFileIo {
    int opens;

    CountingFileIo() {
      super(NioFileIo.INSTANCE);
    }

    @Override
    public io.veritydb.io.FileHandle open(Path path, Mode mode) {
      opens++;
      return super.open(path, mode);
    }
  }

  private static Verity openWrapped(Path dir) {
    return Verity.builder(dir).fileIo(new CountingFileIo()).open();
  }

  @Test
  void shouldLockTheDirectoryThroughAWrappedRealDisk() {
    Path dir = root.resolve("db");
    try (Verity db = openWrapped(dir)) {
      db.tenant(TenantId.of(1)).execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
      UnavailableException wrapped =
          assertThrows(UnavailableException.class, () -> openWrapped(dir));
      assertTrue(wrapped.getMessage().contains(dir.toString()), wrapped.getMessage());
      assertTrue(wrapped.getMessage().contains("already open"), wrapped.getMessage());
      UnavailableException plain = assertThrows(UnavailableException.class, () -> Verity.open(dir));
      assertTrue(plain.getMessage().contains("LOCK"), plain.getMessage());
    }
    try (Verity again = openWrapped(dir)) {
      assertEquals(1, again.lastPosition().value());
    }
  }

  @Test
  void shouldDrawRealKeysThroughAWrappedRealDisk() throws IOException {
    Path dir = root.resolve("db");
    String verifierKey;
    CountingFileIo counting = new CountingFileIo();
    try (Verity db = Verity.builder(dir).fileIo(counting).open()) {
      db.tenant(TenantId.of(1)).execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
      verifierKey = db.verifierKey();
    }
    assertTrue(counting.opens > 0, "the wrapper saw the engine's files");
    byte[] signing = Files.readAllBytes(dir.resolve("keys/signing.key"));
    byte[] master = Files.readAllBytes(dir.resolve("keys/master.key"));
    assertFalse(containsRun(signing, KNOWN_SIMULATION_SEED), "the public simulation key was used");
    assertFalse(containsRun(master, new byte[32]), "the master key file holds 32 zero bytes");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("keys/master.key"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("keys/signing.key"))));
    try (Verity plain = Verity.open(dir)) {
      assertEquals(verifierKey, plain.verifierKey(), "the real disk reads the same key back");
    }
  }

  @Test
  void shouldGiveTwoFreshDirectoriesDifferentKeys() throws IOException {
    String first;
    String second;
    try (Verity a = openWrapped(root.resolve("a"));
        Verity b = openWrapped(root.resolve("b"))) {
      first = a.verifierKey();
      second = b.verifierKey();
    }
    assertNotEquals(first, second);
    assertFalse(
        Arrays.equals(
            Files.readAllBytes(root.resolve("a/keys/master.key")),
            Files.readAllBytes(root.resolve("b/keys/master.key"))));
  }

  private static boolean containsRun(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }
}
