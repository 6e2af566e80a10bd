package io.veritydb.bench.compare;

import io.veritydb.bench.harness.BenchEngine;
import io.veritydb.bench.harness.BenchSession;
import io.veritydb.bench.harness.Dirs;
import io.veritydb.bench.harness.Engines;
import io.veritydb.bench.harness.Figure;
import io.veritydb.bench.harness.VerityEngine;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.VerifyReport;
import io.veritydb.types.LogPosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** One pass of the selected workloads on one engine, each in a fresh directory. */
final class Workloads {
  private final String engine;
  private final BenchConfig cfg;
  private final Path work;
  private final List<Figure> out = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(42);

  private Workloads(String engine, BenchConfig cfg, Path work) {
    this.engine = engine;
    this.cfg = cfg;
    this.work = work;
  }

  /** Runs one pass in subdirectories of {@code work}; returns its figures. */
  static List<Figure> pass(String engine, BenchConfig cfg, Path work) {
    Workloads w = new Workloads(engine, cfg, work);
    if (cfg.has("W1")) {
      w.singleRowInserts();
    }
    if (List.of("W2", "W3", "W4", "W5", "W6", "W8").stream().anyMatch(cfg::has)) {
      w.loadedDatabase();
    }
    if (cfg.has("W7") && engine.equals("verity")) {
      w.add(
          "W7",
          ReopenAfterKill.recordsPerSecond(work.resolve("w7"), cfg.reopenRecords()),
          "records/s");
    }
    return w.out;
  }

  private void add(String workload, double value, String unit) {
    out.add(new Figure(engine, workload, value, unit));
  }

  private long deadline() {
    return System.nanoTime() + (long) (cfg.seconds() * 1e9);
  }

  private static double perSecond(long count, long startNanos) {
    return count / ((System.nanoTime() - startNanos) / 1e9);
  }

  /** W1: single-row INSERTs in autocommit, from 1 thread, then from {@code threads} threads. */
  private void singleRowInserts() {
    Path dir = Dirs.fresh(work.resolve("w1"));
    try (BenchEngine e = Engines.open(engine, dir)) {
      e.createTable();
      long n = 0;
      long start = System.nanoTime();
      long end = deadline();
      try (BenchSession s = e.session()) {
        while (System.nanoTime() < end) {
          s.insert(++n);
        }
      }
      add("W1-1thread", perSecond(n, start), "rows/s");
      add("W1-" + cfg.threads() + "threads", concurrentInserts(e, n), "rows/s");
    } finally {
      Dirs.delete(dir);
    }
  }

  private double concurrentInserts(BenchEngine e, long idsUsed) {
    AtomicLong nextId = new AtomicLong(idsUsed);
    AtomicLong done = new AtomicLong();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long end = deadline();
    for (int i = 0; i < cfg.threads(); i++) {
      Thread t =
          new Thread(
              () -> {
                try (BenchSession s = e.session()) {
                  while (System.nanoTime() < end && failure.get() == null) {
                    s.insert(nextId.incrementAndGet());
                    done.incrementAndGet();
                  }
                } catch (RuntimeException ex) {
                  failure.compareAndSet(null, ex);
                }
              },
              "w1-writer-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      joinUninterruptibly(t);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return perSecond(done.get(), start);
  }

  private static void joinUninterruptibly(Thread t) {
    try {
      t.join();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + t.getName(), ex);
    }
  }

  /**
   * W2 loads the rows; W3..W6 read and update them; W5 and W8 look at the closed directory. W2 is
   * measured over {@link BenchConfig#loads()} loads of the same rows, each into a fresh database:
   * the one kept for W3..W8 and the ones before it, thrown away (one small load lasts 20 to 40 ms,
   * too short to time alone).
   */
  private void loadedDatabase() {
    long loadNanos = 0;
    if (cfg.has("W2")) {
      for (int i = 1; i < cfg.loads(); i++) {
        Path scratch = Dirs.fresh(work.resolve("load-" + i));
        try (BenchEngine e = Engines.open(engine, scratch)) {
          try (BenchSession s = e.session()) {
            e.createTable();
            loadNanos += load(s);
          }
        } finally {
          Dirs.delete(scratch);
        }
      }
    }
    Path dir = Dirs.fresh(work.resolve("db"));
    try {
      BenchEngine e = Engines.open(engine, dir);
      try (BenchSession s = e.session()) {
        e.createTable();
        loadNanos += load(s);
        if (cfg.has("W2")) {
          add("W2", (double) cfg.rows() * cfg.loads() / (loadNanos / 1e9), "rows/s");
        }
        if (cfg.has("W3")) {
          pointSelects(s);
        }
        if (cfg.has("W4")) {
          add("W4-noindex", wardQueries(s), "queries/s");
        }
        e.createWardIndex();
        if (cfg.has("W4")) {
          add("W4-index", wardQueries(s), "queries/s");
        }
        LogPosition half = cfg.has("W5") || cfg.has("W6") ? updates(e, s) : null;
        if (cfg.has("W6") && e instanceof VerityEngine v) {
          history(v, s, half);
        }
      } finally {
        e.close();
      }
      if (cfg.has("W5")) {
        add("W5-disk", (double) Dirs.bytes(dir), "bytes");
      }
      if (cfg.has("W8") && engine.equals("verity")) {
        verify(dir.resolve("log"));
      }
    } finally {
      Dirs.delete(dir);
    }
  }

  /** Inserts the rows in batches of {@link BenchConfig#batch()}; the nanoseconds it took. */
  private long load(BenchSession s) {
    long start = System.nanoTime();
    for (long id = 1; id <= cfg.rows(); id += cfg.batch()) {
      s.insertBatch(id, (int) Math.min(cfg.batch(), cfg.rows() - id + 1));
    }
    return System.nanoTime() - start;
  }

  private long randomId() {
    return 1 + random.nextLong(cfg.rows());
  }

  /** W3: point SELECTs by primary key from one thread; each call's latency kept. */
  private void pointSelects(BenchSession s) {
    long[] latencies = new long[Math.max(1_000, (int) Math.min(20e6, cfg.seconds() * 2e6))];
    int n = 0;
    long start = System.nanoTime();
    long end = deadline();
    while (n < latencies.length) {
      long t0 = System.nanoTime();
      if (t0 >= end) {
        break;
      }
      expectRows(s.selectById(randomId()), 1, "W3");
      latencies[n++] = System.nanoTime() - t0;
    }
    add("W3", perSecond(n, start), "lookups/s");
    Arrays.sort(latencies, 0, n);
    add("W3-p50", latencies[(int) (n * 0.50)] / 1e3, "us");
    add("W3-p99", latencies[Math.min(n - 1, (int) (n * 0.99))] / 1e3, "us");
    add("W3-p999", latencies[Math.min(n - 1, (int) (n * 0.999))] / 1e3, "us");
  }

  private double wardQueries(BenchSession s) {
    long n = 0;
    long start = System.nanoTime();
    long end = deadline();
    int expected = Math.min(100, cfg.rows() / BenchEngine.WARDS);
    while (System.nanoTime() < end) {
      int rows = s.selectByWard(random.nextInt(BenchEngine.WARDS));
      if (rows < expected) {
        throw new IllegalStateException(
            engine + " W4 read " + rows + " rows, expected " + expected);
      }
      n++;
    }
    return perSecond(n, start);
  }

  /**
   * W5: every row updated once, in UPDATE ... WHERE id IN (1000 ids) statements over a random
   * permutation of the ids. Returns VerityDB's position half-way through (null for the peers).
   */
  private LogPosition updates(BenchEngine e, BenchSession s) {
    long[] ids = new long[cfg.rows()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 1L;
    }
    for (int i = ids.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    LogPosition half = null;
    long start = System.nanoTime();
    int per = cfg.updateInList();
    int batches = (ids.length + per - 1) / per;
    for (int b = 0; b < batches; b++) {
      long[] slice = Arrays.copyOfRange(ids, b * per, Math.min(ids.length, (b + 1) * per));
      long changed = s.updateBalances(slice, b);
      expectRows(changed, slice.length, "W5");
      if (b == batches / 2 && e instanceof VerityEngine v) {
        half = v.lastPosition();
      }
    }
    if (cfg.has("W5")) {
      add("W5", perSecond(ids.length, start), "rows/s");
    }
    return half;
  }

  /**
   * W6: the W3 and W4 queries at the position half-way through W5, as a cost ratio to now. Now and
   * then alternate in 10 slices each, so that a change in the machine's load hits both.
   */
  private void history(VerityEngine v, BenchSession s, LogPosition half) {
    double[] point =
        interleavedRates(
            () -> expectRows(s.selectById(randomId()), 1, "W6"),
            () -> expectRows(v.selectByIdAt(half, randomId()), 1, "W6"));
    double[] ward =
        interleavedRates(
            () -> s.selectByWard(random.nextInt(BenchEngine.WARDS)),
            () -> v.selectByWardAt(half, random.nextInt(BenchEngine.WARDS)));
    add("W6-point-at", point[1], "lookups/s");
    add("W6-point-cost", point[0] / point[1], "ratio");
    add("W6-ward-at", ward[1], "queries/s");
    add("W6-ward-cost", ward[0] / ward[1], "ratio");
  }

  /** Rates of {@code now} and {@code then}, run alternately for half a phase each in all. */
  private double[] interleavedRates(Runnable now, Runnable then) {
    long slice = (long) (cfg.seconds() * 0.5e9 / 10);
    long[] count = new long[2];
    long[] nanos = new long[2];
    for (int i = 0; i < 20; i++) {
      int which = i % 2;
      Runnable query = which == 0 ? now : then;
      long start = System.nanoTime();
      long end = start + slice;
      long n = 0;
      long t;
      do {
        query.run();
        n++;
        t = System.nanoTime();
      } while (t < end);
      count[which] += n;
      nanos[which] += t - start;
    }
    return new double[] {count[0] / (nanos[0] / 1e9), count[1] / (nanos[1] / 1e9)};
  }

  /** W8: the log's CRCs and whole hash chain checked, on every core. */
  private void verify(Path logDir) {
    long bytes = Dirs.bytes(logDir);
    long start = System.nanoTime();
    VerifyReport report =
        Log.verify(NioFileIo.INSTANCE, logDir, Runtime.getRuntime().availableProcessors());
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!report.ok()) {
      throw new IllegalStateException("W8: log " + logDir + " did not verify: " + report);
    }
    add("W8", bytes / 1e6 / seconds, "MB/s");
  }

  private void expectRows(long got, long expected, String workload) {
    if (got != expected) {
      throw new IllegalStateException(
          engine + " " + workload + ": " + got + " rows, expected " + expected);
    }
  }
}
