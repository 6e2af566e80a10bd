package io.veritydb.bench.storage;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.crypto.Blake3;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.LogOptions;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The append target measured on a shared, noisy machine: log append and the physical limit (bare
 * write + force of the same bytes, plus one BLAKE3 per record over its bytes) run interleaved,
 * batch by batch, so load changes hit both alike; prints the median time per batch of each and
 * their ratio. Not JMH: run with {@code java -cp ... io.veritydb.bench.storage.AppendRatio
 * [payload] [batch] [rounds] [parallelism]}.
 */
public final class AppendRatio {
  private AppendRatio() {}

  public static void main(String[] args) throws IOException {
    int payload = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path dir = Dirs.temporary("verity-ratio");
    try {
      run(dir, payload, batch, rounds, parallelism);
    } finally {
      Dirs.delete(dir);
    }
  }

  private static void run(Path dir, int payload, int batch, int rounds, int parallelism)
      throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    List<LogEntry> entries = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      byte[] p = new byte[payload];
      random.nextBytes(p);
      entries.add(new LogEntry((byte) 16, TenantId.of(1), i, 0, p));
    }
    int length = RecordDescriptor.recordLength(payload);
    byte[] raw = new byte[batch * length];
    random.nextBytes(raw);
    ByteBuffer bytes = ByteBuffer.wrap(raw);
    Blake3 blake3 = new Blake3();
    byte[] digest = new byte[Blake3.LENGTH];
    long[] logNanos = new long[rounds];
    long[] bareNanos = new long[rounds];
    try (Log log =
            Log.open(
                NioFileIo.INSTANCE,
                dir.resolve("log"),
                LogOptions.builder().parallelism(parallelism).build());
        FileChannel channel =
            FileChannel.open(
                dir.resolve("bare.dat"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long offset = 0;
      for (int r = -rounds / 5; r < rounds; r++) {
        long t0 = System.nanoTime();
        log.append(entries);
        long t1 = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          blake3.hash(raw, i * length, length, digest, 0);
        }
        bytes.clear();
        while (bytes.hasRemaining()) {
          offset += channel.write(bytes, offset);
        }
        channel.force(false);
        long t2 = System.nanoTime();
        if (r >= 0) {
          logNanos[r] = t1 - t0;
          bareNanos[r] = t2 - t1;
        }
      }
    }
    Arrays.sort(logNanos);
    Arrays.sort(bareNanos);
    double logMs = logNanos[rounds / 2] / 1e6;
    double bareMs = bareNanos[rounds / 2] / 1e6;
    System.out.printf(
        Locale.ROOT,
        "payload=%d batch=%d rounds=%d parallelism=%d: log %.3f ms/batch (%.0f records/s, %.1f"
            + " MB/s), write+force+BLAKE3/record %.3f ms/batch, ratio %.2f%n",
        payload,
        batch,
        rounds,
        parallelism,
        logMs,
        batch / (logMs / 1e3),
        batch * (double) payload / (logMs / 1e3) / 1e6,
        bareMs,
        logMs / bareMs);
  }
}
