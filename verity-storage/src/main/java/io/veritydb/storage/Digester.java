package io.veritydb.storage;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.Checks;
import io.veritydb.types.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Computes the digests of many records, on a small fixed pool when {@code parallelism > 1}. The
 * result does not depend on the number of threads: each digest depends only on its own record.
 */
final class Digester implements AutoCloseable {
  /** Fewer records than this are digested on the caller's thread. */
  static final int PARALLEL_THRESHOLD = 64;

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
    if (pool == null || count < PARALLEL_THRESHOLD) {
      range(buffer, starts, storedLengths, 0, count, out);
      return;
    }
    int chunk = (count + parallelism - 1) / parallelism;
    List<Future<?>> futures = new ArrayList<>(parallelism);
    for (int from = chunk; from < count; from += chunk) {
      int start = from;
      int end = Math.min(count, from + chunk);
      futures.add(pool.submit(() -> range(buffer, starts, storedLengths, start, end, out)));
    }
    range(buffer, starts, storedLengths, 0, Math.min(chunk, count), out);
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while hashing log records", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("hashing log records failed", e.getCause());
      }
    }
  }

  private static void range(
      byte[] buffer, int[] starts, int[] storedLengths, int from, int to, byte[] out) {
    Blake3 blake3 = BLAKE3.get();
    for (int i = from; i < to; i++) {
      RecordCodec.digest(blake3, buffer, starts[i], storedLengths[i], out, i * Blake3.LENGTH);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
