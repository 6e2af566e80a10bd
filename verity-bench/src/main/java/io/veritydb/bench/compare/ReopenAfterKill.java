package io.veritydb.bench.compare;

import io.veritydb.api.Verity;
import io.veritydb.bench.harness.Dirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * W7: a child JVM ({@link CrashWriter}) writes N commands after the store's last flush and is
 * killed (destroyForcibly: SIGKILL); then {@code Verity.open} is timed, which replays those N
 * records.
 */
final class ReopenAfterKill {
  private ReopenAfterKill() {}

  /** Records replayed per second by the reopen, over {@code records} single-row commands. */
  static double recordsPerSecond(Path dir, int records) {
    Dirs.fresh(dir);
    try {
      long written = writeAndKill(dir, records);
      long start = System.nanoTime();
      Verity db = Verity.open(dir);
      double seconds = (System.nanoTime() - start) / 1e9;
      try {
        long last = db.lastPosition().value();
        if (last < written) {
          throw new IllegalStateException(
              "W7: reopen recovered up to position " + last + ", but " + written + " was durable");
        }
      } finally {
        db.close();
      }
      return records / seconds;
    } finally {
      Dirs.delete(dir);
    }
  }

  private static long writeAndKill(Path dir, int records) {
    ProcessBuilder pb =
        new ProcessBuilder(
            Jvm.command(
                List.of("-Xmx1g"),
                CrashWriter.class,
                List.of(dir.toAbsolutePath().toString(), Integer.toString(records))));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("W7: cannot start the writer JVM", e);
    }
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(CrashWriter.READY + " ")) {
          return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new IllegalStateException("W7: the writer JVM ended before writing " + records);
    } catch (IOException e) {
      throw new UncheckedIOException("W7: reading the writer JVM", e);
    } finally {
      p.destroyForcibly();
      waitFor(p);
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("W7: the writer JVM did not die after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("W7: interrupted", e);
    }
  }
}
