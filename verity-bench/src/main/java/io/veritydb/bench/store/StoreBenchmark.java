package io.veritydb.bench.store;

import io.veritydb.io.NioFileIo;
import io.veritydb.store.KeyRange;
import io.veritydb.store.PagedStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreOptions;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The projection store against H2's MVStore on the same key/value workload: {@code keys} rows of
 * 8-byte keys (in random order) and 100-byte values, loaded in batches of 1000, then every key
 * updated once so each has an old version. Measures point get, get at the old position (Verity
 * only: MVStore keeps no history by log position), 100-row range scans and applying batches of 100
 * updates. Bytes on disk per row are printed after the load.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main StoreBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {
  static final int VALUE_BYTES = 100;
  static final int LOAD_BATCH = 1000;
  static final int APPLY_BATCH = 100;
  static final int SCAN_ROWS = 100;
  static final long CACHE_BYTES = 512L << 20;

  /** A bijection on longs, so keys land in random order. */
  static long mix(long i) {
    long z = i * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    return z ^ (z >>> 31);
  }

  static byte[] keyBytes(long k) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (k >>> (56 - 8 * i));
    }
    return b;
  }

  static byte[] value(long i, int round) {
    byte[] v = new byte[VALUE_BYTES];
    for (int j = 0; j < v.length; j += 8) {
      long x = mix(i + j + round * 31L);
      for (int k = 0; k < 8 && j + k < v.length; k++) {
        v[j + k] = (byte) (x >>> (8 * k));
      }
    }
    return v;
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** VerityDB's paged store, loaded. */
  @State(Scope.Benchmark)
  public static class Verity {
    @Param({"1000000"})
    public int keys;

    Path dir;
    PagedStore store;
    long oldPosition;
    long position;
    SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("verity-store-bench");
      Path file = dir.resolve("store.db");
      store =
          PagedStore.open(
              NioFileIo.INSTANCE, file, StoreOptions.defaults().withCacheBytes(CACHE_BYTES));
      long started = System.nanoTime();
      for (int round = 0; round < 2; round++) {
        for (long i = 0; i < keys; i += LOAD_BATCH) {
          WriteBatch batch = new WriteBatch();
          for (long j = i; j < Math.min(keys, i + LOAD_BATCH); j++) {
            batch.put(keyBytes(mix(j)), value(j, round));
          }
          store.apply(LogPosition.of(++position), batch);
          if (position % 50 == 0) {
            store.checkpoint();
          }
        }
        store.checkpoint();
        if (round == 0) {
          oldPosition = position;
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      long bytes = Files.size(file);
      System.out.printf(
          "%nverity: loaded %d keys x 2 versions in %d ms; file %d bytes = %.1f bytes/version%n",
          keys, millis, bytes, bytes / (2.0 * keys));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.close();
      deleteTree(dir);
    }

    byte[] randomKey() {
      return keyBytes(mix(random.nextLong(keys)));
    }
  }

  /** H2 MVStore, file-backed, MVMap of long keys to byte[] values, loaded the same way. */
  @State(Scope.Benchmark)
  public static class H2 {
    @Param({"1000000"})
    public int keys;

    Path dir;
    MVStore store;
    MVMap<Long, byte[]> map;
    SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("mvstore-bench");
      Path file = dir.resolve("store.mv");
      store =
          new MVStore.Builder()
              .fileName(file.toString())
              .cacheSize((int) (CACHE_BYTES >> 20))
              .open();
      map = store.openMap("kv");
      long started = System.nanoTime();
      for (int round = 0; round < 2; round++) {
        for (long i = 0; i < keys; i += LOAD_BATCH) {
          for (long j = i; j < Math.min(keys, i + LOAD_BATCH); j++) {
            map.put(mix(j), value(j, round));
          }
        }
      }
      store.commit();
      long millis = (System.nanoTime() - started) / 1_000_000;
      store.sync();
      long bytes = Files.size(file);
      System.out.printf(
          "%nmvstore: loaded %d keys x 2 rounds in %d ms; file %d bytes = %.1f bytes/row%n",
          keys, millis, bytes, bytes / (double) keys);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.close();
      deleteTree(dir);
    }
  }

  @Benchmark
  public byte[] verityGet(Verity s) {
    return s.store.get(s.randomKey());
  }

  @Benchmark
  public byte[] verityGetAtOldPosition(Verity s) {
    return s.store.getAt(s.randomKey(), LogPosition.of(s.oldPosition));
  }

  @Benchmark
  @OperationsPerInvocation(SCAN_ROWS)
  public void verityScan(Verity s, Blackhole bh) {
    try (StoreCursor c = s.store.scan(new KeyRange(s.randomKey(), null), false, SCAN_ROWS)) {
      while (c.next()) {
        bh.consume(c.value());
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(APPLY_BATCH)
  public void verityApply(Verity s) {
    WriteBatch batch = new WriteBatch();
    for (int i = 0; i < APPLY_BATCH; i++) {
      long j = s.random.nextLong(s.keys);
      batch.put(keyBytes(mix(j)), value(j, 2));
    }
    s.store.apply(LogPosition.of(++s.position), batch);
    if (s.position % 100 == 0) {
      s.store.checkpoint();
    }
  }

  @Benchmark
  public byte[] mvstoreGet(H2 s) {
    return s.map.get(mix(s.random.nextLong(s.keys)));
  }

  @Benchmark
  @OperationsPerInvocation(SCAN_ROWS)
  public void mvstoreScan(H2 s, Blackhole bh) {
    Cursor<Long, byte[]> c = s.map.cursor(mix(s.random.nextLong(s.keys)));
    for (int i = 0; i < SCAN_ROWS && c.hasNext(); i++) {
      c.next();
      bh.consume(c.getValue());
    }
  }

  @Benchmark
  @OperationsPerInvocation(APPLY_BATCH)
  public void mvstoreApply(H2 s) {
    for (int i = 0; i < APPLY_BATCH; i++) {
      long j = s.random.nextLong(s.keys);
      s.map.put(mix(j), value(j, 2));
    }
  }
}
