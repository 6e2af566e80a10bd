package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Blake3;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.ChainHash;
import io.veritydb.types.LogPosition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends in a loop ({@link CrashChild}) at random moments, many times;
 * after each kill, reopens the log and checks that every position the child reported as appended is
 * present with the right contents, and that the whole chain verifies. Then the next child continues
 * from there. (A killed process leaves the operating system's page cache intact; power loss is
 * covered by {@link SimCrashProperties} on the simulated disk.)
 */
class ChildJvmCrashTest {
  private static final int ROUNDS = 20;

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedPositionSurvivesKillingTheWriterProcess() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ChildJvmCrashTest seed " + seed);
    Random random = new Random(seed);
    Path dir = tmp.resolve("log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    long acknowledged = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path errors = tmp.resolve("child-" + round + ".err");
      Process child =
          new ProcessBuilder(
                  java,
                  "-Xmx128m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  classpath,
                  CrashChild.class.getName(),
                  dir.toString(),
                  Long.toString(random.nextLong()))
              .redirectError(errors.toFile())
              .start();
      int killAfter = random.nextInt(60);
      long reported = acknowledged;
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String ready = lines.readLine();
        assertTrue(
            ready != null && ready.startsWith("ready "),
            "seed " + seed + ": child did not start: " + ready + " " + Files.readString(errors));
        long start = Long.parseLong(ready.substring(6));
        assertTrue(start >= acknowledged, "seed " + seed + " round " + round);
        for (int i = 0; i < killAfter; i++) {
          String line = lines.readLine();
          if (line == null) {
            break;
          }
          reported = Math.max(reported, Long.parseLong(line));
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        reported = Math.max(reported, drainBuffered(lines));
      }
      acknowledged = reported;
      check(dir, acknowledged, "seed " + seed + " round " + round);
    }
    assertTrue(acknowledged > 0, "seed " + seed);
  }

  /**
   * Positions already read into the reader's buffer before the kill closed the pipe. Process
   * destruction closes the stream, so reading stops at "Stream closed": lines the child printed but
   * that never reached us only make the check weaker, never wrong.
   */
  private static long drainBuffered(BufferedReader lines) {
    long max = 0;
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isEmpty() && line.chars().allMatch(Character::isDigit)) {
          max = Math.max(max, Long.parseLong(line));
        }
      }
    } catch (IOException closedByDestroy) {
      assertTrue(
          closedByDestroy.getMessage().contains("Stream closed"), closedByDestroy.toString());
    }
    return max;
  }

  private static void check(Path dir, long acknowledged, String context) throws IOException {
    try (Log log = Log.open(NioFileIo.INSTANCE, dir, CrashChild.options())) {
      long last = log.lastPosition().value();
      assertTrue(
          last >= acknowledged, context + ": last " + last + " < acknowledged " + acknowledged);
      ChainHash chain = Blake3.GENESIS;
      Blake3 blake3 = new Blake3();
      long p = 0;
      try (LogCursor cursor = log.iterate(LogPosition.of(1))) {
        while (cursor.next()) {
          p++;
          LogRecord r = cursor.record();
          assertEquals(LogPosition.of(p), r.position(), context);
          LogTesting.assertSame(CrashChild.entryFor(p), r);
          assertEquals(chain, r.previousChainHash(), context + " chain at " + p);
          chain = blake3.chain(chain, r.digest());
        }
      }
      assertEquals(last, p, context);
      assertEquals(chain, log.lastChainHash(), context);
      assertTrue(Log.verify(NioFileIo.INSTANCE, dir, 1).ok(), context);
    }
  }
}
