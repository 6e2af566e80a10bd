package io.veritydb.bench.storage;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.LogOptions;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Durable appends of batch size 1 (one record, one fsync) per second, with segment preallocation
 * off (the file grows on every append) and on (appends overwrite preallocated zeros), interleaved
 * window by window in one process so that load changes on a shared machine hit both alike. Prints
 * the median appends/s of each and their ratio. Not JMH: run with {@code java -cp ...
 * io.veritydb.bench.storage.SyncRate [payload] [windows] [windowMillis]}.
 */
public final class SyncRate {
  private SyncRate() {}

  public static void main(String[] args) {
    int payload = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int windows = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long windowNanos = (args.length > 2 ? Long.parseLong(args[2]) : 1000) * 1_000_000L;
    Path dir = Dirs.temporary("verity-syncrate");
    SplittableRandom random = new SplittableRandom(7);
    byte[] bytes = new byte[payload];
    random.nextBytes(bytes);
    List<LogEntry> one = List.of(new LogEntry((byte) 16, TenantId.of(1), 0, 0, bytes));
    long[] off = new long[windows];
    long[] on = new long[windows];
    LogOptions growing = LogOptions.builder().preallocate(0).build();
    LogOptions preallocated = LogOptions.defaults();
    try (Log a = Log.open(NioFileIo.INSTANCE, dir.resolve("off"), growing);
        Log b = Log.open(NioFileIo.INSTANCE, dir.resolve("on"), preallocated)) {
      window(a, one, windowNanos / 4);
      window(b, one, windowNanos / 4);
      for (int w = 0; w < windows; w++) {
        off[w] = window(a, one, windowNanos) * 1_000_000_000L / windowNanos;
        on[w] = window(b, one, windowNanos) * 1_000_000_000L / windowNanos;
      }
    } finally {
      Dirs.delete(dir);
    }
    System.out.println("preallocate=0       appends/s per window: " + Arrays.toString(off));
    System.out.println("preallocate=default appends/s per window: " + Arrays.toString(on));
    Arrays.sort(off);
    Arrays.sort(on);
    System.out.printf(
        Locale.ROOT,
        "payload=%d batch=1: preallocate=0 %d appends/s, preallocate=%d %d appends/s, ratio %.2f%n",
        payload,
        off[windows / 2],
        LogOptions.DEFAULT_PREALLOCATE,
        on[windows / 2],
        on[windows / 2] / (double) off[windows / 2]);
  }

  private static long window(Log log, List<LogEntry> one, long nanos) {
    long n = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      log.append(one);
      n++;
    }
    return n;
  }
}
