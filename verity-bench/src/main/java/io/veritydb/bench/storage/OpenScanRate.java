package io.veritydb.bench.storage;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.LogOptions;
import io.veritydb.types.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Records/s of opening a log whose records all follow the last chain mark (what W7's reopen after a
 * kill does): {@code Log.open} with {@link LogOptions.OpenCheck#FROM_LAST_MARK}, which checks
 * structure and CRC of every record and recomputes digest and chain of every record after the mark.
 * The log is written once, then opened {@code rounds} times (page cache warm); prints each time and
 * the median. Not JMH: run with {@code java -cp ... io.veritydb.bench.storage.OpenScanRate
 * [records] [payload] [rounds] [parallelism] [dir]}; with a {@code dir} the log is kept there and
 * reused by the next run (to compare builds on one log).
 */
public final class OpenScanRate {
  private OpenScanRate() {}

  public static void main(String[] args) {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int payload = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    boolean keep = args.length > 4;
    Path dir = keep ? Path.of(args[4]) : Dirs.temporary("verity-openscan").resolve("log");
    try {
      if (!Files.exists(dir)) {
        write(dir, records, payload);
      }
      LogOptions options =
          LogOptions.builder()
              .parallelism(parallelism)
              .openCheck(LogOptions.OpenCheck.FROM_LAST_MARK)
              .build();
      long[] nanos = new long[rounds];
      for (int r = -1; r < rounds; r++) {
        long t0 = System.nanoTime();
        try (Log log = Log.open(NioFileIo.INSTANCE, dir, options)) {
          if (log.lastPosition().value() != records) {
            throw new IllegalStateException("opened " + log.lastPosition() + " of " + records);
          }
        }
        if (r >= 0) {
          nanos[r] = System.nanoTime() - t0;
        }
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      double median = sorted[rounds / 2] / 1e9;
      StringBuilder each = new StringBuilder();
      for (long n : nanos) {
        each.append(String.format(Locale.ROOT, " %.0f", records / (n / 1e9)));
      }
      System.out.printf(
          Locale.ROOT,
          "records=%d payload=%d parallelism=%d: open %.3f s, %.0f records/s (each:%s)%n",
          records,
          payload,
          parallelism,
          median,
          records / median,
          each);
    } finally {
      if (!keep) {
        Dirs.delete(dir.getParent());
      }
    }
  }

  private static void write(Path dir, int records, int payload) {
    SplittableRandom random = new SplittableRandom(3);
    try (Log log = Log.open(NioFileIo.INSTANCE, dir, LogOptions.defaults())) {
      log.mark();
      List<LogEntry> batch = new ArrayList<>(1000);
      for (int i = 0; i < records; i++) {
        byte[] bytes = new byte[payload];
        random.nextBytes(bytes);
        batch.add(new LogEntry((byte) 16, TenantId.of(1), i, 0, bytes));
        if (batch.size() == 1000 || i == records - 1) {
          log.append(batch);
          batch.clear();
        }
      }
    }
  }
}
