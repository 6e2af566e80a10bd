package io.veritydb.storage;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.Checks;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs per-record work (digests, compression) on a small fixed pool when {@code parallelism > 1}.
 * Work is split into small chunks that the caller and the pool threads claim from a shared counter,
 * so a pool thread that is not scheduled (a busy machine) delays the caller by at most one chunk,
 * never by a whole share. Results do not depend on the number of threads: each record's work
 * depends only on that record.
 */
final class Digester implements AutoCloseable {
  /** Fewer records than this run on the caller's thread. */
  static final int PARALLEL_THRESHOLD = 64;

  /** Records per claimed chunk. */
  static final int CHUNK = 16;

  /** Work on records [from, to). */
  interface RangeTask {
    void run(int from, int to);
  }

  private static final ThreadLocal<Blake3> BLAKE3 = ThreadLocal.withInitial(Blake3::new);

  private final int parallelism;
  private final ExecutorService pool;

  Digester(int parallelism) {
    Checks.checkArgument(parallelism >= 1, "parallelism", parallelism);
    this.parallelism = parallelism;
    this.pool =
        parallelism == 1
            ? null
            : Executors.newFixedThreadPool(
                parallelism - 1,
                r -> {
                  Thread t = new Thread(r, "verity-log-digest");
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * Digests of {@code count} records of {@code buffer}, the i-th starting at {@code starts[i]} with
   * stored payload length {@code storedLengths[i]}, into {@code out} at {@code 32 * i}.
   */
  void digest(byte[] buffer, int[] starts, int[] storedLengths, int count, byte[] out) {
    Checks.checkArgument(out.length >= count * Blake3.LENGTH, "out", out.length, "count", count);
    parallelFor(
        count,
        (from, to) -> {
          Blake3 blake3 = BLAKE3.get();
          for (int i = from; i < to; i++) {
            RecordCodec.digest(blake3, buffer, starts[i], storedLengths[i], out, i * Blake3.LENGTH);
          }
        });
  }

  /** Runs {@code task} over [0, count) in chunks, on the caller and the pool; returns when done. */
  void parallelFor(int count, RangeTask task) {
    if (pool == null || count < PARALLEL_THRESHOLD) {
      task.run(0, count);
      return;
    }
    Job job = new Job(count, task);
    for (int i = 1; i < parallelism; i++) {
      pool.execute(job::work);
    }
    job.work();
    job.awaitDone();
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** One parallelFor call: a claim counter, a done counter, and the first failure. */
  private static final class Job {
    private final int count;
    private final RangeTask task;
    private final AtomicInteger next = new AtomicInteger();
    private int done;
    private Throwable failure;

    Job(int count, RangeTask task) {
      this.count = count;
      this.task = task;
    }

    void work() {
      while (true) {
        int from = next.getAndAdd(CHUNK);
        if (from >= count) {
          return;
        }
        int to = Math.min(count, from + CHUNK);
        Throwable error = null;
        try {
          task.run(from, to);
        } catch (RuntimeException | Error e) {
          error = e;
        }
        finished(to - from, error);
      }
    }

    private synchronized void finished(int records, Throwable error) {
      done += records;
      if (error != null && failure == null) {
        failure = error;
      }
      if (done == count) {
        notifyAll();
      }
    }

    synchronized void awaitDone() {
      boolean interrupted = false;
      while (done < count) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw new IllegalStateException("parallel log work failed", failure);
      }
    }
  }
}
