package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory lock as other processes see it. The OS lock belongs to the process, and closing any
 * channel on the lock file releases it: a refused second attempt in the same JVM must not open one.
 */
class DirectoryLockTest {
  @TempDir Path dir;

  /** What another process sees: "held" or "free". */
  private String otherProcessSees() throws IOException, InterruptedException {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockProbeMain.class.getName(),
                dir.resolve(DirectoryLock.FILE_NAME).toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
    assertEquals(0, child.exitValue());
    return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void shouldKeepTheLockOfAnOpenDatabaseWhenASecondOpenOrAVerificationIsRefused() throws Exception {
    DirectoryLock open = DirectoryLock.acquire(dir);
    try {
      UnavailableException second =
          assertThrows(UnavailableException.class, () -> DirectoryLock.acquire(dir));
      assertTrue(second.getMessage().contains("already open in this process"), second.getMessage());
      UnavailableException verify =
          assertThrows(UnavailableException.class, () -> DirectoryLock.acquireForReading(dir));
      assertEquals(
          "the database at " + dir + " is open in this process; close it or verify a copy",
          verify.getMessage());
      assertEquals("held", otherProcessSees());
    } finally {
      open.close();
    }
    assertEquals("free", otherProcessSees());
    DirectoryLock.acquire(dir).close();
  }

  @Test
  void shouldRefuseAnOpenWhileVerifyingAndLetItAfter() throws Exception {
    DirectoryLock reading = DirectoryLock.acquireForReading(dir);
    try {
      UnavailableException open =
          assertThrows(UnavailableException.class, () -> DirectoryLock.acquire(dir));
      assertTrue(open.getMessage().contains("being verified"), open.getMessage());
      assertEquals("free", otherProcessSees(), "a shared lock lets other readers in");
    } finally {
      reading.close();
    }
    DirectoryLock.acquire(dir).close();
  }

  @Test
  void shouldReadADirectoryWithoutALockFileThatCannotBeWritten() throws IOException {
    Path readOnly = Files.createDirectories(dir.resolve("read-only"));
    assertTrue(readOnly.toFile().setWritable(false));
    try {
      DirectoryLock.acquireForReading(readOnly).close();
      assertEquals(
          Files.isWritable(readOnly), Files.exists(readOnly.resolve(DirectoryLock.FILE_NAME)));
    } finally {
      assertTrue(readOnly.toFile().setWritable(true));
    }
  }
}
