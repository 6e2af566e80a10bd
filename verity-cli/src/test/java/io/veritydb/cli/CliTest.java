package io.veritydb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.api.Verity;
import io.veritydb.crypto.note.Checkpoint;
import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.crypto.note.TlogProof;
import io.veritydb.types.TenantId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path dir;

  private String run(int expectedExit, String... args) {
    return runFor(expectedExit, args)[0];
  }

  /** What the command line printed to standard output and to standard error. */
  private String[] runFor(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    assertEquals(expectedExit, exit, "exit code of " + String.join(" ", args) + ": " + err);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void shouldRunTheDemoThenProveAndVerifyItsHistory() throws Exception {
    Path data = dir.resolve("data");
    String demo = run(0, "demo", data.toString());
    assertTrue(demo.contains("As of position"), demo);
    String vkey = run(0, "vkey", data.toString()).trim();
    NoteVerifier verifier = NoteVerifier.parse(vkey);
    String checkpoint = run(0, "checkpoint", data.toString());
    Checkpoint parsed =
        Checkpoint.open(
            checkpoint.getBytes(StandardCharsets.UTF_8), verifier.name(), List.of(verifier));
    assertTrue(parsed.size() >= 5);
    String proof = run(0, "prove", data.toString(), "--position", "2");
    TlogProof.parse(proof.getBytes(StandardCharsets.UTF_8))
        .verifyLeafData(verifier.name(), List.of(verifier));
    String consistency = run(0, "prove", data.toString(), "--consistency-from", "1");
    assertTrue(consistency.lines().count() >= 1);
    String verified = run(0, "verify", data.toString(), "--vkey", vkey);
    assertTrue(verified.contains("VERIFIED"), verified);
  }

  @Test
  void shouldFailVerificationOfADamagedDirectory() throws Exception {
    Path data = dir.resolve("damaged");
    run(0, "demo", data.toString());
    Path segment;
    try (var files = Files.list(data.resolve("log"))) {
      segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[100] ^= 1;
    Files.write(segment, bytes);
    String out = run(1, "verify", data.toString());
    assertTrue(out.contains("NOT VERIFIED") && out.contains("position"), out);
  }

  @Test
  void shouldRefuseADirectoryThatIsNotADatabase() throws Exception {
    Path missing = dir.resolve("nothing");
    assertEquals(
        "verity: " + missing + " does not exist\n", runFor(1, "verify", missing.toString())[1]);
    Path file = Files.writeString(dir.resolve("file"), "not a database");
    assertEquals(
        "verity: " + file + " is not a directory\n", runFor(1, "verify", file.toString())[1]);
    assertEquals(
        "verity: " + dir + " is not a VerityDB data directory: it has no log/ directory\n",
        runFor(1, "prove", dir.toString(), "--position", "1")[1]);
  }

  @Test
  void shouldRefuseToVerifyADatabaseThatIsOpen() {
    Path data = dir.resolve("open");
    run(0, "demo", data.toString());
    try (Verity db = Verity.open(data)) {
      db.tenant(TenantId.of(1)).execute("CREATE TABLE opened (id BIGINT PRIMARY KEY)");
      String[] printed = runFor(1, "verify", data.toString());
      assertEquals(
          "verity: the database at "
              + data
              + " is open in this process; close it or verify a copy\n",
          printed[1]);
      assertFalse(printed[0].contains("VERIFIED"), printed[0]);
    }
    assertTrue(run(0, "verify", data.toString()).contains("VERIFIED"));
  }
}
