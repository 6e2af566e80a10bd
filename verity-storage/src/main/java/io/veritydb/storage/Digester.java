package io.veritydb.storage;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.Checks;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

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

  /**
   * Starts the digests of {@code count} records (as {@link #digest}) for a caller that consumes
   * them in order: the pool threads compute chunks from the front, and the caller, through {@link
   * InOrder#readyFrom}, takes the digests that are ready and computes unclaimed chunks itself while
   * the next one it needs is still being computed. So the caller's sequential work on the digests
   * (the chain step) overlaps the pool's hashing instead of following it. With one thread, or a
   * small batch, everything is computed at once on the caller's thread.
   */
  InOrder digestInOrder(byte[] buffer, int[] starts, int[] storedLengths, int count, byte[] out) {
    Checks.checkArgument(out.length >= count * Blake3.LENGTH, "out", out.length, "count", count);
    RangeTask task =
        (from, to) -> {
          Blake3 blake3 = BLAKE3.get();
          for (int i = from; i < to; i++) {
            RecordCodec.digest(blake3, buffer, starts[i], storedLengths[i], out, i * Blake3.LENGTH);
          }
        };
    InOrder job = new InOrder(count, task);
    if (pool == null || count < PARALLEL_THRESHOLD) {
      task.run(0, count);
      job.allDoneOnCaller();
    } else {
      for (int i = 1; i < parallelism; i++) {
        pool.execute(job::work);
      }
    }
    return job;
  }

  /**
   * Digests consumed in order (see {@link #digestInOrder}). Chunk {@code c} covers records [16c,
   * 16c + 16); its state is 0 (not done), 1 (done) or 2 (failed). The caller must call {@link
   * #close} before reusing the buffers, also when it stops early.
   */
  static final class InOrder implements AutoCloseable {
    private final int count;
    private final int chunks;
    private final RangeTask task;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray state;
    private volatile boolean waiting;
    private volatile Throwable failure;
    private int ready;

    InOrder(int count, RangeTask task) {
      this.count = count;
      this.chunks = (count + CHUNK - 1) / CHUNK;
      this.task = task;
      this.state = new AtomicIntegerArray(chunks);
    }

    private void allDoneOnCaller() {
      next.set(chunks);
      for (int c = 0; c < chunks; c++) {
        state.lazySet(c, 1);
      }
    }

    /** Pool threads: compute claimed chunks until none is left. */
    void work() {
      while (true) {
        int c = next.getAndIncrement();
        if (c >= chunks) {
          return;
        }
        run(c);
      }
    }

    private void run(int c) {
      int result = 1;
      try {
        task.run(c * CHUNK, Math.min(count, (c + 1) * CHUNK));
      } catch (RuntimeException | Error e) {
        failure = e;
        result = 2;
      }
      state.set(c, result);
      if (waiting) {
        synchronized (this) {
          notifyAll();
        }
      }
    }

    /**
     * Caller only: the end (exclusive) of the run of ready digests from record {@code from}, which
     * must be the previous result (0 first); at least one more than {@code from} when {@code from <
     * count}. Computes unclaimed chunks itself while waiting.
     */
    int readyFrom(int from) {
      Checks.checkArgument(from == ready && from < count, "from", from, "ready", ready);
      int c = from / CHUNK;
      while (state.get(c) == 0) {
        int mine = next.getAndIncrement();
        if (mine < chunks) {
          run(mine);
        } else {
          awaitChunk(c);
        }
      }
      while (c < chunks && state.get(c) != 0) {
        if (state.get(c) == 2) {
          throw new IllegalStateException("parallel log digest failed", failure);
        }
        c++;
      }
      ready = Math.min(count, c * CHUNK);
      return ready;
    }

    private synchronized void awaitChunk(int c) {
      boolean interrupted = false;
      waiting = true;
      while (state.get(c) == 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      waiting = false;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Stops handing out chunks and waits for the ones being computed. */
    @Override
    public void close() {
      int claimed = Math.min(chunks, next.getAndAdd(chunks));
      for (int c = 0; c < claimed; c++) {
        awaitChunk(c);
      }
    }
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
