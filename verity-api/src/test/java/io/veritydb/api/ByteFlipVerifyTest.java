package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.storage.LogOptions;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flips one byte at many offsets of every file of a closed data directory, each time in a fresh
 * copy, and holds verification to this: either it reports a problem naming the flipped file, or it
 * passes and the database then opens and answers every query and proof exactly as before the flip
 * (the file was derived, and the open rebuilt it). A flip may never leave verification saying the
 * directory is sound while a query or a proof then fails or differs.
 */
class ByteFlipVerifyTest {
  private static final int SPREAD = 9;
  private static final int PAGE = 4096;

  @TempDir Path root;

  @Test
  void shouldReportOrRepairEveryFlippedByteOfEveryFile() throws IOException {
    Path original = root.resolve("original");
    createDatabase(original);
    VerificationReport clean = Verity.verify(original, null, null);
    assertTrue(clean.ok(), "the untouched directory must verify: " + clean.problems());
    String expected = answers(copy(original, root.resolve("baseline")));

    List<Path> files = files(original);
    Map<String, int[]> outcomes = new TreeMap<>(); // kind -> {detected, rebuilt}
    List<String> failures = new ArrayList<>();
    int run = 0;
    for (Path file : files) {
      long size = Files.size(file);
      if (size == 0) {
        continue; // the directory lock: no byte to flip
      }
      String relative = original.relativize(file).toString();
      String kind = relative.replaceAll("[0-9]+", "N");
      for (long offset : offsets(relative, size)) {
        Path copy = copy(original, root.resolve("flip-" + run++));
        Path target = copy.resolve(relative);
        flip(target, offset);
        String where = relative + " at offset " + offset;
        VerificationReport report;
        try {
          report = Verity.verify(copy, null, null);
        } catch (RuntimeException e) {
          failures.add(where + ": verification threw " + e);
          deleteTree(copy);
          continue;
        }
        int[] outcome = outcomes.computeIfAbsent(kind, k -> new int[2]);
        if (!report.ok()) {
          String problems = String.join("\n", report.problems());
          if (problems.contains(file.getFileName().toString())) {
            outcome[0]++;
          } else {
            failures.add(where + ": reported without naming the file: " + problems);
          }
        } else {
          try {
            String actual = answers(copy);
            if (actual.equals(expected)) {
              outcome[1]++;
            } else {
              failures.add(where + ": verified, then the database answered differently");
            }
          } catch (RuntimeException e) {
            failures.add(where + ": verified, then the database failed: " + e);
          }
        }
        deleteTree(copy);
      }
    }
    StringBuilder table = new StringBuilder("file kind -> detected / rebuilt\n");
    outcomes.forEach(
        (kind, counts) ->
            table.append(String.format("  %-32s %4d / %4d%n", kind, counts[0], counts[1])));
    System.out.println(table);
    assertTrue(failures.isEmpty(), failures.size() + " flips:\n" + String.join("\n", failures));
    assertTrue(outcomes.containsKey("merkle/merkle-N.hashes"), outcomes.keySet().toString());
    assertTrue(outcomes.containsKey("store/projection.db"), outcomes.keySet().toString());
  }

  /** A few tables of two tenants, updates and deletes, a signed checkpoint; closed cleanly. */
  private static void createDatabase(Path dir) {
    try (Verity db =
        Verity.builder(dir)
            .logOptions(LogOptions.builder().segmentSize(8192).build())
            .checkpointEvery(30)
            .open()) {
      TenantHandle a = db.tenant(TenantId.of(1), "alice");
      TenantHandle b = db.tenant(TenantId.of(2), "bob");
      a.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT, ward INT)");
      a.execute("CREATE INDEX p_ward ON p (ward)");
      a.execute("CREATE TABLE q (id BIGINT PRIMARY KEY, v TEXT)");
      b.execute("CREATE TABLE r (id BIGINT PRIMARY KEY, amount BIGINT)");
      for (long i = 0; i < 30; i++) {
        a.execute("INSERT INTO p (id, name, ward) VALUES (?, ?, ?)", i, "name " + i, (int) (i % 4));
        if (i % 3 == 0) {
          a.execute("INSERT INTO q (id, v) VALUES (?, ?)", i, "v" + i);
          b.execute("INSERT INTO r (id, amount) VALUES (?, ?)", i, i * 100);
        }
      }
      // One value big enough for overflow pages, then replaced: the old pages are history only.
      a.execute("INSERT INTO q (id, v) VALUES (?, ?)", 100L, "x".repeat(9000));
      a.execute("UPDATE q SET v = ? WHERE id = 100", "y".repeat(9000));
      // One row with many versions: leaves holding only its older versions, which no query of
      // the newest position reads.
      b.execute("CREATE TABLE h (id BIGINT PRIMARY KEY, v TEXT)");
      b.execute("INSERT INTO h (id, v) VALUES (1, 'v0')");
      for (int i = 1; i <= 150; i++) {
        b.execute("UPDATE h SET v = ? WHERE id = 1", "version " + i + " " + "z".repeat(60));
      }
      db.checkpoint();
      a.execute("UPDATE p SET name = 'moved' WHERE ward = 2");
      a.execute("DELETE FROM p WHERE ward = 3");
      b.execute("UPDATE r SET amount = amount + 1 WHERE id > 10");
      a.execute("DELETE FROM q WHERE id = 3");
    }
  }

  /** Everything the database answers: every table now and in the past, every proof. */
  private static String answers(Path dir) {
    StringBuilder out = new StringBuilder();
    try (Verity db = Verity.open(dir)) {
      long last = db.lastPosition().value();
      String[][] tables = {{"1", "p"}, {"1", "q"}, {"2", "r"}, {"2", "h"}};
      for (long at = 1; at <= last; at += 13) {
        for (String[] table : tables) {
          TenantHandle t = db.tenant(TenantId.of(Long.parseLong(table[0])));
          try {
            out.append(
                text(t.queryAt(LogPosition.of(at), "SELECT * FROM " + table[1] + " ORDER BY id")));
          } catch (io.veritydb.types.BadRequestException e) {
            out.append("no table ").append(table[1]).append(" at ").append(at); // not created yet
          }
          out.append('\n');
        }
      }
      for (String[] table : tables) {
        TenantHandle t = db.tenant(TenantId.of(Long.parseLong(table[0])));
        out.append(text(t.query("SELECT * FROM " + table[1] + " ORDER BY id"))).append('\n');
        out.append(t.history(table[1], 12L)).append('\n');
        out.append(t.history(table[1], 1L)).append('\n');
        out.append(t.history(table[1], 100L)).append('\n');
        out.append(t.auditTrail(LogPosition.of(1), LogPosition.of(last))).append('\n');
      }
      for (long p = 1; p <= last; p++) {
        out.append(db.proveInclusion(LogPosition.of(p))).append('\n');
        out.append(db.proveConsistency(p)).append('\n');
      }
      out.append(db.latestCheckpoint());
    }
    assertEquals(-1, out.indexOf("Exception"), out.toString());
    return out.toString();
  }

  private static String text(Rows rows) {
    StringBuilder out = new StringBuilder(rows.columnNames().toString());
    for (Row row : rows) {
      out.append(row.values());
    }
    return out.toString();
  }

  /** First byte, last byte and a spread between them; in the store, one byte of every page. */
  private static java.util.SortedSet<Long> offsets(String file, long size) {
    java.util.SortedSet<Long> offsets = new TreeSet<>();
    offsets.add(0L);
    offsets.add(size - 1);
    for (int i = 1; i <= SPREAD; i++) {
      offsets.add(size * i / (SPREAD + 1));
    }
    if (file.endsWith("projection.db")) {
      for (long page = 0; page < size / PAGE; page++) {
        offsets.add(page * PAGE + (100 + 397 * page) % PAGE);
      }
    }
    return offsets;
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) (1 << (offset % 8));
    Files.write(file, bytes);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : all.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
