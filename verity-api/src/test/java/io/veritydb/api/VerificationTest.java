package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.storage.LogOptions;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampers with copies of a real data directory in the ways a person might, and checks that offline
 * verification catches each one with a message that says what is wrong.
 */
class VerificationTest {
  private static final int HEADER = 80;
  private static final int CRC = 4;

  @TempDir Path root;
  private Path original;

  @BeforeEach
  void createDatabase() {
    original = root.resolve("original");
    try (Verity db =
        Verity.builder(original)
            .logOptions(LogOptions.builder().segmentSize(4096).build())
            .checkpointEvery(40)
            .open()) {
      TenantHandle t = db.tenant(TenantId.of(1), "alice");
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT, ward INT)");
      t.execute("CREATE INDEX p_ward ON p (ward)");
      for (long i = 0; i < 120; i++) {
        t.execute("INSERT INTO p (id, name, ward) VALUES (?, ?, ?)", i, "name " + i, (int) (i % 5));
      }
      t.execute("UPDATE p SET name = 'changed' WHERE ward = 3");
      t.execute("DELETE FROM p WHERE ward = 4");
    }
  }

  @Test
  void shouldPassAnUntouchedDirectory() {
    VerificationReport report = Verity.verify(original, null, (phase, n) -> {});
    assertTrue(report.ok(), report.problems().toString());
    assertTrue(report.records() > 120);
    assertTrue(report.checkpoints() >= 3, "checkpoints: " + report.checkpoints());
  }

  @Test
  void shouldDetectOneChangedPayloadByte() throws IOException {
    Path copy = copy("payload");
    Path segment = segments(copy).get(0);
    long[] offsets = recordOffsets(segment);
    flipByte(segment, offsets[3] + HEADER + 2);
    expectProblem(copy, "CRC32C");
  }

  @Test
  void shouldDetectAChangedHeaderField() throws IOException {
    Path copy = copy("header");
    Path segment = segments(copy).get(1);
    long[] offsets = recordOffsets(segment);
    flipByte(segment, offsets[1] + 72);
    expectProblem(copy, "corruption");
  }

  @Test
  void shouldDetectTwoSwappedRecords() throws IOException {
    Path copy = copy("swap");
    Path segment = segments(copy).get(0);
    byte[] bytes = Files.readAllBytes(segment);
    long[] offsets = recordOffsets(segment);
    int a = (int) offsets[4];
    int b = (int) offsets[5];
    int c = (int) offsets[6];
    byte[] swapped = bytes.clone();
    byte[] first = Arrays.copyOfRange(bytes, a, b);
    byte[] second = Arrays.copyOfRange(bytes, b, c);
    System.arraycopy(second, 0, swapped, a, second.length);
    System.arraycopy(first, 0, swapped, a + second.length, first.length);
    Files.write(segment, swapped);
    expectProblem(copy, "corruption");
  }

  @Test
  void shouldDetectARemovedRecord() throws IOException {
    Path copy = copy("remove");
    Path segment = segments(copy).get(0);
    byte[] bytes = Files.readAllBytes(segment);
    long[] offsets = recordOffsets(segment);
    int from = (int) offsets[2];
    int to = (int) offsets[3];
    byte[] cut = new byte[bytes.length - (to - from)];
    System.arraycopy(bytes, 0, cut, 0, from);
    System.arraycopy(bytes, to, cut, from, bytes.length - to);
    Files.write(segment, cut);
    expectProblem(copy, "corruption");
  }

  @Test
  void shouldDetectASegmentTruncatedInTheMiddle() throws IOException {
    Path copy = copy("truncate");
    Path segment = segments(copy).get(0);
    byte[] bytes = Files.readAllBytes(segment);
    Files.write(segment, Arrays.copyOf(bytes, bytes.length / 2));
    expectProblem(copy, "log segment");
  }

  @Test
  void shouldDetectTheLastSegmentCutShort() throws IOException {
    Path copy = copy("tail");
    List<Path> all = segments(copy);
    Path last = all.get(all.size() - 1);
    long[] offsets = recordOffsets(last);
    byte[] bytes = Files.readAllBytes(last);
    Files.write(last, Arrays.copyOf(bytes, (int) offsets[offsets.length - 1]));
    expectProblem(copy, "");
  }

  @Test
  void shouldDetectAnEditedCheckpoint() throws IOException {
    Path copy = copy("checkpoint");
    Path note = checkpoints(copy).get(0);
    String text = Files.readString(note, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    lines[1] = Long.toString(Long.parseLong(lines[1]) - 1);
    Files.writeString(note, String.join("\n", lines), StandardCharsets.UTF_8);
    expectProblem(copy, note.getFileName().toString());
  }

  @Test
  void shouldDetectAnEditedCheckpointSignature() throws IOException {
    Path copy = copy("signature");
    Path note = checkpoints(copy).get(1);
    byte[] bytes = Files.readAllBytes(note);
    int at = bytes.length - 10;
    bytes[at] = (byte) (bytes[at] == 'A' ? 'B' : 'A');
    Files.write(note, bytes);
    expectProblem(copy, note.getFileName().toString());
  }

  @Test
  void shouldDetectAReplacedSigningKey() throws IOException {
    Path copy = copy("key");
    Path keyFile = copy.resolve("keys").resolve("signing.key");
    Files.delete(keyFile);
    Ed25519KeyPair.loadOrCreate(keyFile, new SecureRandom());
    expectProblem(copy, "checkpoint");
  }

  @Test
  void shouldDetectACheckpointThatDoesNotMatchATrustedKey() {
    String strangerKey;
    try (Verity other = Verity.open(root.resolve("other"))) {
      strangerKey = other.verifierKey();
    }
    VerificationReport report = Verity.verify(original, strangerKey, (phase, n) -> {});
    assertFalse(report.ok());
  }

  @Test
  void shouldAcceptANullProgressCallback() {
    VerificationReport report = Verity.verify(original, null, null);
    assertTrue(report.ok(), report.problems().toString());
  }

  @Test
  void shouldRefuseADirectoryThatIsOpenAndVerifyItOnceClosed() {
    try (Verity db = Verity.open(original)) {
      TenantHandle t = db.tenant(TenantId.of(1), "alice");
      t.execute("INSERT INTO p (id, name, ward) VALUES (?, ?, ?)", 1000L, "open", 1);
      UnavailableException e =
          assertThrows(UnavailableException.class, () -> Verity.verify(original, null, null));
      assertEquals(
          "the database at " + original + " is open in this process; close it or verify a copy",
          e.getMessage());
      // The refusal left the database open and locked.
      t.execute("INSERT INTO p (id, name, ward) VALUES (?, ?, ?)", 1001L, "still open", 1);
      assertThrows(UnavailableException.class, () -> Verity.open(original));
    }
    VerificationReport report = Verity.verify(original, null, null);
    assertTrue(report.ok(), report.problems().toString());
  }

  @Test
  void shouldRefuseAnOpenWhileVerifying() {
    boolean[] refused = {false};
    VerificationReport report =
        Verity.verify(
            original,
            null,
            (phase, n) -> {
              if (!refused[0]) {
                UnavailableException e =
                    assertThrows(UnavailableException.class, () -> Verity.open(original));
                assertTrue(e.getMessage().contains("being verified"), e.getMessage());
                refused[0] = true;
              }
            });
    assertTrue(refused[0], "no progress was reported");
    assertTrue(report.ok(), report.problems().toString());
    Verity.open(original).close();
  }

  @Test
  void shouldSayWhatIsWrongWithAPathThatIsNotADataDirectory() throws IOException {
    Path missing = root.resolve("missing");
    assertEquals(missing + " does not exist", badPath(missing));
    Path file = Files.writeString(root.resolve("file"), "not a database");
    assertEquals(file + " is not a directory", badPath(file));
    Path empty = Files.createDirectories(root.resolve("empty"));
    assertEquals(
        empty + " is not a VerityDB data directory: it has no log/ directory", badPath(empty));
  }

  @Test
  void shouldSayThatAnUnreadableDirectoryCannotBeRead() throws IOException {
    Path copy = copy("unreadable");
    Files.setPosixFilePermissions(
        copy, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
    try {
      // root reads every directory whatever its permissions: only another user can see this.
      org.junit.jupiter.api.Assumptions.assumeFalse(
          Files.isReadable(copy), "running as a user who can read any directory");
      assertEquals("cannot read " + copy + ": permission denied", badPath(copy));
    } finally {
      Files.setPosixFilePermissions(
          copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void shouldDetectASigningKeyThatIsNotTheTrustedOne() throws IOException {
    String trusted;
    try (Verity db = Verity.open(original)) {
      trusted = db.verifierKey();
    }
    Path copy = copy("replaced-key");
    Path keyFile = copy.resolve("keys").resolve("signing.key");
    Files.delete(keyFile);
    Ed25519KeyPair.loadOrCreate(keyFile, new SecureRandom());
    VerificationReport report = Verity.verify(copy, trusted, null);
    assertFalse(report.ok(), "a replaced signing key was not detected");
    assertTrue(
        String.join("\n", report.problems()).contains(keyFile.toString()),
        report.problems().toString());
  }

  @Test
  void shouldPassAgainOnceDamagedDerivedFilesAreRemovedAndRebuiltAsTheReportSays()
      throws IOException {
    Path copy = copy("derived");
    Path leaves = copy.resolve("merkle").resolve("merkle-00.hashes");
    flipByte(leaves, 32 + 36 * 7 + 3);
    Path store = copy.resolve("store").resolve("projection.db");
    flipByte(store, 3 * 4096 + 200);
    VerificationReport damaged = Verity.verify(copy, null, null);
    String problems = String.join("\n", damaged.problems());
    assertTrue(
        problems.contains(leaves + ": checksum mismatch of Merkle node (level 0, index 7)"),
        problems);
    assertTrue(problems.contains("remove the merkle directory"), problems);
    assertTrue(problems.contains(store.toString()), problems);
    assertTrue(problems.contains("move the file away"), problems);

    try (Stream<Path> files = Files.list(copy.resolve("merkle"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.move(store, store.resolveSibling("projection.db.moved"));
    Verity.open(copy).close();
    VerificationReport rebuilt = Verity.verify(copy, null, null);
    assertTrue(rebuilt.ok(), rebuilt.problems().toString());
  }

  /**
   * A directory whose chain marks are in {@code log/checkpoints.dat} (the file's earlier name):
   * verify reads and checks that file where it is, and an open renames it to {@code marks.dat}.
   */
  @Test
  void shouldVerifyChainMarksUnderTheFilesOlderNameInPlaceAndRenameThemOnOpen() throws IOException {
    Path copy = copy("legacy-marks");
    Path marks = copy.resolve("log").resolve("marks.dat");
    Path legacy = copy.resolve("log").resolve("checkpoints.dat");
    byte[] written = Files.readAllBytes(marks);
    assertTrue(written.length > 0, "the database wrote no chain marks");
    Files.move(marks, legacy);

    VerificationReport report = Verity.verify(copy, null, null);
    assertTrue(report.ok(), report.problems().toString());
    assertTrue(
        report.checks().stream().anyMatch(c -> c.contains("chain marks in " + legacy)),
        report.checks().toString());
    assertTrue(Files.exists(legacy) && !Files.exists(marks), "verify renamed " + legacy);

    Verity.open(copy).close();
    assertTrue(Files.exists(marks) && !Files.exists(legacy), "the open did not rename " + legacy);
    assertArrayEquals(written, Arrays.copyOf(Files.readAllBytes(marks), written.length));
    VerificationReport reopened = Verity.verify(copy, null, null);
    assertTrue(reopened.ok(), reopened.problems().toString());
  }

  @Test
  void shouldReportATornLastChainMarkUnderTheFilesOlderName() throws IOException {
    Path copy = copy("legacy-torn");
    Path legacy = copy.resolve("log").resolve("checkpoints.dat");
    Files.move(copy.resolve("log").resolve("marks.dat"), legacy);
    Files.write(legacy, new byte[10], StandardOpenOption.APPEND);
    expectProblem(copy, legacy + ": the entry at byte offset");
  }

  private static String badPath(Path dir) {
    return assertThrows(BadRequestException.class, () -> Verity.verify(dir, null, null))
        .getMessage();
  }

  private void expectProblem(Path dir, String fragment) {
    VerificationReport report = Verity.verify(dir, null, (phase, n) -> {});
    assertFalse(report.ok(), "tampering was not detected in " + dir);
    String problems = String.join("\n", report.problems());
    assertTrue(
        problems
            .toLowerCase(java.util.Locale.ROOT)
            .contains(fragment.toLowerCase(java.util.Locale.ROOT)),
        "expected '" + fragment + "' in: " + problems);
  }

  private Path copy(String name) throws IOException {
    Path target = root.resolve(name);
    try (Stream<Path> files = Files.walk(original)) {
      for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
        Path to = target.resolve(original.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(to);
        } else if (!source.getFileName().toString().equals("LOCK")) {
          Files.copy(source, to);
        }
      }
    }
    return target;
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      List<Path> list =
          new ArrayList<>(files.filter(p -> p.toString().endsWith(".log")).sorted().toList());
      assertTrue(list.size() >= 3, "expected several segments, got " + list);
      return list;
    }
  }

  private static List<Path> checkpoints(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      return files.filter(p -> p.toString().endsWith(".note")).sorted().toList();
    }
  }

  /** The byte offsets of the records in a segment (their headers give their lengths). */
  private static long[] recordOffsets(Path segment) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> offsets = new ArrayList<>();
    // A segment header (32 bytes: its own magic, read at offset 6 as its length), then records
    // (each starting with the record magic), then zero-filled preallocated space.
    int at = bytes.getInt(0) == RecordDescriptor.MAGIC ? 0 : bytes.getShort(6);
    while (at + HEADER <= bytes.limit() && bytes.getInt(at) == RecordDescriptor.MAGIC) {
      offsets.add((long) at);
      at += HEADER + bytes.getInt(at + 8) + CRC;
    }
    return offsets.stream().mapToLong(Long::longValue).toArray();
  }

  private static void flipByte(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= 0x10;
    Files.write(file, bytes);
  }
}
