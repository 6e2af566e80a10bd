package io.veritydb.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.ClosedException;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link FileIo}, run against every implementation (the real disk and the simulated
 * one), so that what the simulator checks holds on the disk.
 */
public abstract class FileIoConformance {
  /** The implementation under test. */
  protected abstract FileIo io();

  /** An existing, empty directory for this test. */
  protected abstract Path root();

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String readAll(FileHandle h) {
    ByteBuffer buffer = ByteBuffer.allocate((int) h.size());
    h.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadBackWhatWasWrittenAtAnyOffset() {
    Path file = root().resolve("a.dat");
    try (FileHandle h = io().open(file, FileIo.Mode.CREATE)) {
      h.write(bytes("hello world"), 0);
      h.write(bytes("W"), 6);
      assertEquals(11, h.size());
      assertEquals("hello World", readAll(h));
      ByteBuffer part = ByteBuffer.allocate(5);
      assertEquals(5, h.read(part, 6));
      assertEquals("World", new String(part.array(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldReturnShortReadsAtTheEndOfTheFile() {
    Path file = root().resolve("b.dat");
    try (FileHandle h = io().open(file, FileIo.Mode.CREATE)) {
      h.write(bytes("abc"), 0);
      ByteBuffer buffer = ByteBuffer.allocate(10);
      assertEquals(2, h.read(buffer, 1));
      assertEquals(0, h.read(ByteBuffer.allocate(4), 3));
      assertEquals(0, h.read(ByteBuffer.allocate(4), 100));
    }
  }

  @Test
  void shouldFillGapsWithZerosWhenWritingPastTheEnd() {
    Path file = root().resolve("c.dat");
    try (FileHandle h = io().open(file, FileIo.Mode.CREATE)) {
      h.write(bytes("x"), 4);
      assertEquals(5, h.size());
      ByteBuffer buffer = ByteBuffer.allocate(5);
      h.read(buffer, 0);
      assertArrayEquals(new byte[] {0, 0, 0, 0, 'x'}, buffer.array());
    }
  }

  @Test
  void shouldTruncateAndThenReadZerosAfterReextending() {
    Path file = root().resolve("d.dat");
    try (FileHandle h = io().open(file, FileIo.Mode.CREATE)) {
      h.write(bytes("abcdef"), 0);
      h.truncate(2);
      assertEquals(2, h.size());
      h.write(bytes("z"), 4);
      ByteBuffer buffer = ByteBuffer.allocate(5);
      h.read(buffer, 0);
      assertArrayEquals(new byte[] {'a', 'b', 0, 0, 'z'}, buffer.array());
      h.sync();
    }
  }

  @Test
  void shouldKeepContentAcrossReopen() {
    Path file = root().resolve("e.dat");
    try (FileHandle h = io().open(file, FileIo.Mode.CREATE)) {
      h.write(bytes("persist"), 0);
      h.sync();
    }
    io().syncDirectory(root());
    try (FileHandle h = io().open(file, FileIo.Mode.READ)) {
      assertEquals("persist", readAll(h));
    }
    try (FileHandle h = io().open(file, FileIo.Mode.WRITE)) {
      h.write(bytes("P"), 0);
      assertEquals("Persist", readAll(h));
    }
  }

  @Test
  void shouldFailToOpenAMissingFileUnlessCreating() {
    Path file = root().resolve("missing.dat");
    assertFalse(io().exists(file));
    assertThrows(UnavailableException.class, () -> io().open(file, FileIo.Mode.READ));
    assertThrows(UnavailableException.class, () -> io().open(file, FileIo.Mode.WRITE));
    assertThrows(
        UnavailableException.class,
        () -> io().open(root().resolve("nodir").resolve("x"), FileIo.Mode.CREATE));
  }

  @Test
  void shouldRefuseWritesThroughAReadOnlyHandle() {
    Path file = root().resolve("ro.dat");
    io().open(file, FileIo.Mode.CREATE).close();
    try (FileHandle h = io().open(file, FileIo.Mode.READ)) {
      assertThrows(UnavailableException.class, () -> h.write(bytes("x"), 0));
      assertThrows(UnavailableException.class, () -> h.truncate(0));
    }
  }

  @Test
  void shouldRefuseUseOfAClosedHandle() {
    FileHandle h = io().open(root().resolve("closed.dat"), FileIo.Mode.CREATE);
    h.close();
    assertThrows(ClosedException.class, () -> h.write(bytes("x"), 0));
    assertThrows(ClosedException.class, () -> h.read(ByteBuffer.allocate(1), 0));
    assertThrows(ClosedException.class, h::sync);
  }

  @Test
  void shouldListOnlyRegularFilesSortedByName() {
    io().createDirectories(root().resolve("sub").resolve("deeper"));
    for (String name : List.of("c", "a", "b")) {
      io().open(root().resolve(name), FileIo.Mode.CREATE).close();
    }
    io().open(root().resolve("sub").resolve("inner"), FileIo.Mode.CREATE).close();
    assertEquals(
        List.of(root().resolve("a"), root().resolve("b"), root().resolve("c")), io().list(root()));
    assertTrue(io().exists(root().resolve("sub")));
    assertThrows(UnavailableException.class, () -> io().list(root().resolve("nope")));
  }

  @Test
  void shouldRenameAtomicallyReplacingTheTarget() {
    Path a = root().resolve("a.tmp");
    Path b = root().resolve("b.dat");
    try (FileHandle h = io().open(b, FileIo.Mode.CREATE)) {
      h.write(bytes("old"), 0);
    }
    try (FileHandle h = io().open(a, FileIo.Mode.CREATE)) {
      h.write(bytes("new"), 0);
      h.sync();
    }
    io().rename(a, b);
    io().syncDirectory(root());
    assertFalse(io().exists(a));
    try (FileHandle h = io().open(b, FileIo.Mode.READ)) {
      assertEquals("new", readAll(h));
    }
    assertThrows(UnavailableException.class, () -> io().rename(a, root().resolve("c")));
  }

  @Test
  void shouldDeleteAndIgnoreMissingFiles() {
    Path file = root().resolve("gone.dat");
    io().open(file, FileIo.Mode.CREATE).close();
    io().delete(file);
    assertFalse(io().exists(file));
    io().delete(file);
    assertEquals(List.of(), io().list(root()));
  }

  @Test
  void shouldTellDirectoriesFromFiles() {
    Path file = root().resolve("f.dat");
    io().open(file, FileIo.Mode.CREATE).close();
    assertTrue(io().isDirectory(root()));
    assertFalse(io().isDirectory(file));
    assertFalse(io().isDirectory(root().resolve("missing")));
  }

  @Test
  void shouldCreateOwnerOnlyFilesOnceAndReadTheirPermissions() {
    Path key = root().resolve("secret.key");
    try (FileHandle h = io().createOwnerOnly(key)) {
      h.write(bytes("k"), 0);
      h.sync();
    }
    io().permissions(key)
        .ifPresent(
            p ->
                assertEquals(
                    "rw-------", java.nio.file.attribute.PosixFilePermissions.toString(p)));
    assertThrows(UnavailableException.class, () -> io().createOwnerOnly(key));
    assertThrows(UnavailableException.class, () -> io().permissions(root().resolve("missing")));
  }

  @Test
  void shouldLockAFileOnceAtATimeAndReleaseIt() {
    Path file = root().resolve("LOCK");
    HeldLock held = io().lock(file, HeldLock.Mode.EXCLUSIVE);
    FileLockedException again =
        assertThrows(FileLockedException.class, () -> io().lock(file, HeldLock.Mode.EXCLUSIVE));
    assertEquals(HeldLock.Mode.EXCLUSIVE, again.heldAs());
    assertTrue(again.getMessage().contains(file.toString()), again.getMessage());
    FileLockedException reader =
        assertThrows(FileLockedException.class, () -> io().lock(file, HeldLock.Mode.SHARED));
    assertEquals(HeldLock.Mode.EXCLUSIVE, reader.heldAs());
    held.close();
    held.close(); // idempotent
    HeldLock shared = io().lock(file, HeldLock.Mode.SHARED);
    FileLockedException writer =
        assertThrows(FileLockedException.class, () -> io().lock(file, HeldLock.Mode.EXCLUSIVE));
    assertEquals(HeldLock.Mode.SHARED, writer.heldAs());
    shared.close();
    io().lock(file, HeldLock.Mode.EXCLUSIVE).close();
  }
}
