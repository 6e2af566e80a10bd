package io.veritydb.bench.compare;

import java.util.List;
import java.util.Set;

/**
 * What one comparison runs: the sizes, how long each timed phase lasts, how many runs (the median
 * is printed) and which workloads.
 *
 * @param size the size's name, printed in the header
 * @param rows rows loaded by W2 and read by W3..W6; also the rows updated by W5
 * @param seconds length of each timed phase (W1, W3, W4, W6)
 * @param runs measured runs; the median of them is printed
 * @param warmups passes run first and thrown away
 * @param reopenRecords W7: single-row commands written after the store's last flush before the kill
 * @param threads W1's concurrent writers
 * @param workloads the selected workloads, W1..W8
 */
public record BenchConfig(
    String size,
    int rows,
    double seconds,
    int runs,
    int warmups,
    int reopenRecords,
    int threads,
    Set<String> workloads) {
  public static final List<String> ALL_WORKLOADS =
      List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8");

  public BenchConfig {
    workloads = Set.copyOf(workloads);
    for (String w : workloads) {
      if (!ALL_WORKLOADS.contains(w)) {
        throw new IllegalArgumentException(
            "unknown workload " + w + "; expected some of " + ALL_WORKLOADS);
      }
    }
    if (rows < 1 || runs < 1 || warmups < 0 || threads < 1 || reopenRecords < 1) {
      throw new IllegalArgumentException("bad benchmark config " + this);
    }
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
    }
  }

  /** The default: a few minutes for all four engines on a 2-core machine. */
  public static BenchConfig small() {
    return new BenchConfig("small", 20_000, 1.0, 3, 1, 20_000, 16, Set.copyOf(ALL_WORKLOADS));
  }

  /** 1M rows, 1M records replayed by W7. */
  public static BenchConfig large() {
    return new BenchConfig("large", 1_000_000, 3.0, 3, 1, 1_000_000, 16, Set.copyOf(ALL_WORKLOADS));
  }

  /** The smoke test's size: exercises every path, times nothing worth reading. */
  public static BenchConfig tiny() {
    return new BenchConfig("tiny", 200, 0.05, 1, 0, 200, 4, Set.copyOf(ALL_WORKLOADS));
  }

  public BenchConfig withRuns(int n) {
    return new BenchConfig(size, rows, seconds, n, warmups, reopenRecords, threads, workloads);
  }

  public BenchConfig withWorkloads(Set<String> selected) {
    return new BenchConfig(size, rows, seconds, runs, warmups, reopenRecords, threads, selected);
  }

  /**
   * Rows a warm-up pass loads and updates at least. The small size's load is 20 batches of 1000
   * rows, about 40 ms: too few for the JIT compiler, and a JVM engine measured right after one such
   * pass runs its load and update paths at a fraction of their steady speed (VerityDB, in fresh
   * databases of 20 batches each, needed about 600 batches to reach it; session 4, notes-bench.md).
   */
  static final int WARMUP_ROWS = 400_000;

  /** A warm-up pass: the same workloads, with at least {@link #WARMUP_ROWS} rows. */
  public BenchConfig forWarmup() {
    return withRows(Math.max(rows, WARMUP_ROWS));
  }

  public BenchConfig withWarmups(int n) {
    return new BenchConfig(size, rows, seconds, runs, n, reopenRecords, threads, workloads);
  }

  public BenchConfig withRows(int n) {
    return new BenchConfig(size, n, seconds, runs, warmups, reopenRecords, threads, workloads);
  }

  public BenchConfig withReopenRecords(int n) {
    return new BenchConfig(size, rows, seconds, runs, warmups, n, threads, workloads);
  }

  public boolean has(String workload) {
    return workloads.contains(workload);
  }

  /**
   * How many loads of the rows W2 times, each into a fresh database (the last one is kept for
   * W3..W8): enough for 100,000 rows in all, at most 5 loads, so that W2 is not timed over a few
   * tens of milliseconds at the small size.
   */
  public int loads() {
    return Math.max(1, Math.min(5, (100_000 + rows - 1) / rows));
  }

  /** Rows per W2 transaction and per W5 UPDATE. */
  public int batch() {
    return Math.min(1000, rows);
  }

  /**
   * Ids per W5 UPDATE statement: {@link #batch()}, unless the system property {@code
   * bench.updateInList} asks for smaller statements (an experiment: each is then its own
   * acknowledged statement).
   */
  public int updateInList() {
    return Math.min(batch(), Integer.getInteger("bench.updateInList", batch()));
  }
}
