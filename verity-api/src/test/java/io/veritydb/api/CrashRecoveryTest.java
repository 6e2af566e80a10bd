package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.TenantId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with several concurrent writers at random moments, many times, and checks after
 * each kill that every acknowledged write is there, that no batch is partly applied, and that the
 * database reopens and keeps working.
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 8;
  private static final int WRITERS = 4;

  @TempDir Path dir;

  @Test
  void shouldKeepEveryAcknowledgedWriteAcrossKills() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> acks = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      int target = 20 + random.nextInt(400);
      acks.addAll(runAndKill(round, target));
      verify(acks, "seed=" + seed + " round=" + round);
    }
  }

  private List<String> runAndKill(int round, int target) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriterMain.class.getName(),
            dir.toString(),
            Integer.toString(round),
            Integer.toString(WRITERS));
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process child = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> pump(child, lines), "crash-reader");
    reader.start();
    List<String> acked = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acked.size() < target && System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && !line.equals("ready")) {
        acked.add(line);
      }
      assertTrue(child.isAlive() || !lines.isEmpty(), "the writer process died on its own");
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the writer process did not die");
    reader.join();
    // Lines the child printed before it died were acknowledged too.
    String line;
    while ((line = lines.poll()) != null) {
      if (!line.equals("ready")) {
        acked.add(line);
      }
    }
    assertTrue(acked.size() >= 1, "round " + round + " acknowledged nothing");
    return acked;
  }

  private static void pump(Process child, BlockingQueue<String> lines) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The pipe breaks when the child is killed; what was read is what was acknowledged.
      lines.add("ready");
    }
  }

  private void verify(List<String> acks, String context) {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      TreeMap<Long, Long> lastUpdate = new TreeMap<>();
      for (String ack : acks) {
        String[] parts = ack.split(" ", -1);
        switch (parts[0]) {
          case "row" -> assertPresent(t, Long.parseLong(parts[1]), context);
          case "batch" -> {
            long first = Long.parseLong(parts[1]);
            int count = Integer.parseInt(parts[2]);
            for (long id = first; id < first + count; id++) {
              assertPresent(t, id, context);
            }
          }
          case "update" -> lastUpdate.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
          default -> throw new AssertionError(context + ": unexpected line " + ack);
        }
      }
      for (var e : lastUpdate.entrySet()) {
        Long v = t.query("SELECT v FROM acks WHERE id = ?", e.getKey()).get(0).getLong("v");
        assertTrue(
            v >= e.getValue(),
            context + ": row " + e.getKey() + " lost its acknowledged update " + e.getValue());
      }
      // No batch may be partly applied, acknowledged or not.
      assertBatchesWhole(t, context);
      // The database still takes writes.
      long probe = 9_000_000_000L + acks.size();
      t.execute("INSERT INTO acks (id, writer, v) VALUES (?, ?, ?)", probe, -1, 0L);
      t.execute("DELETE FROM acks WHERE id = ?", probe);
    }
  }

  private static void assertBatchesWhole(TenantHandle t, String context) {
    TreeMap<Long, Integer> sizes = new TreeMap<>();
    for (Row row : t.query("SELECT v FROM acks WHERE v < 0")) {
      sizes.merge(-row.getLong("v"), 1, Integer::sum);
    }
    for (var e : sizes.entrySet()) {
      assertEquals(
          10, e.getValue(), context + ": the batch at " + e.getKey() + " is partly applied");
    }
  }

  private static void assertPresent(TenantHandle t, long id, String context) {
    assertEquals(
        1,
        t.query("SELECT id FROM acks WHERE id = ?", id).size(),
        context + ": acknowledged row " + id + " is missing after the crash");
  }
}
