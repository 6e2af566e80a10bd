package io.veritydb.bench.store;

import io.veritydb.bench.harness.OpsPerSecond;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The projection store against H2's MVStore on the same key/value workload: {@code keys} rows of
 * 8-byte keys (random 64-bit values) and 100-byte values, loaded in key order in batches of 10,000,
 * then every key updated once (also in key order), so each has an old version. Measures point get,
 * get at the old position (MVStore: {@code openVersion} of the version before the update round,
 * which MVStore keeps only while the store is open), 100-row range scans, and applying batches of
 * 100 updates of random keys. Bytes on disk per row are printed after the load.
 *
 * <p>The data set is built once per trial (each benchmark method is a trial), with the store's
 * cache bounded to {@link #CACHE_BYTES} for both engines, so 10M keys fit this machine (24 GB RAM):
 * {@code java -cp ... org.openjdk.jmh.Main StoreBenchmark -p keys=10000000 -f 1 -wi 2 -i 3 -w 2s -r
 * 2s}.
 */
public class StoreBenchmark extends OpsPerSecond {
  static final int VALUE_BYTES = 100;
  static final int LOAD_BATCH = 10_000;
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

  /**
   * The keys mix(0..n-1) in the order each engine sorts them: unsigned (Verity's byte-wise order of
   * big-endian keys) or signed (MVStore's order of Long keys).
   */
  static long[] sortedKeys(int n, boolean unsigned) {
    long flip = unsigned ? Long.MIN_VALUE : 0;
    long[] keys = new long[n];
    for (int j = 0; j < n; j++) {
      keys[j] = mix(j) ^ flip;
    }
    Arrays.sort(keys);
    for (int j = 0; j < n; j++) {
      keys[j] ^= flip;
    }
    return keys;
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

    /**
     * {@link StoreOptions#withBackgroundSync}: the leaves of published applies are written at the
     * next apply and fsynced on the store's own thread, as MVStore's background writer writes its
     * chunks ({@code -p verityBackgroundSync=false} for everything in the benchmark thread).
     */
    @Param({"true"})
    public boolean verityBackgroundSync;

    Path dir;
    Path file;
    long openedBytes;
    PagedStore store;
    long oldPosition;
    long position;
    SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("verity-store-bench");
      file = dir.resolve("store.db");
      StoreOptions options =
          StoreOptions.defaults()
              .withCacheBytes(CACHE_BYTES)
              .withBackgroundSync(verityBackgroundSync);
      store = PagedStore.open(NioFileIo.INSTANCE, file, options);
      long started = System.nanoTime();
      long[] sorted = sortedKeys(keys, true);
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < keys; i += LOAD_BATCH) {
          WriteBatch batch = new WriteBatch();
          for (int j = i; j < Math.min(keys, i + LOAD_BATCH); j++) {
            batch.put(keyBytes(sorted[j]), value(sorted[j], round));
          }
          store.applyUnpublished(LogPosition.of(++position), batch);
          if (position % 10 == 0) {
            store.flush(); // publishes; every 100k rows, as a runtime would
          }
        }
        store.flush();
        if (round == 0) {
          oldPosition = position;
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      long bytes = Files.size(file);
      store.close(); // a clean close gives the free end of the file back
      long closed = Files.size(file);
      openedBytes = closed;
      store = PagedStore.open(NioFileIo.INSTANCE, file, options);
      System.out.printf(
          "%nverity: loaded %d keys x 2 versions in %d ms; file %d bytes = %.1f bytes/row"
              + " (%.1f bytes/version); after a clean close %d bytes = %.1f bytes/row%n",
          keys,
          millis,
          bytes,
          bytes / (double) keys,
          bytes / (2.0 * keys),
          closed,
          closed / (double) keys);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.flush();
      System.out.printf(
          "%nverity: file %d bytes after the load, %d at the end; %s%n",
          openedBytes, Files.size(file), store.stats());
      store.close();
      deleteTree(dir);
    }

    byte[] randomKey() {
      return keyBytes(mix(random.nextLong(keys)));
    }
  }

  /**
   * H2 MVStore, file-backed, MVMap of long keys to byte[] values, loaded the same way. Every
   * version is kept while open ({@code setVersionsToKeep}), so the version before the update round
   * can be read like Verity's old position.
   */
  @State(Scope.Benchmark)
  public static class H2 {
    @Param({"1000000"})
    public int keys;

    /**
     * MVStore's background writer (its default, on): it writes chunks and compacts the file on a
     * second thread, off the benchmark thread. Off ({@code -p mvstoreBackground=false}) every write
     * happens in the benchmark thread's commit, as all of Verity's do, but MVStore then never
     * compacts and its file grows with every commit.
     */
    @Param({"true"})
    public boolean mvstoreBackground;

    Path dir;
    Path file;
    long loadedBytes;
    MVStore store;
    MVMap<Long, byte[]> map;
    MVMap<Long, byte[]> oldMap;
    SplittableRandom random = new SplittableRandom(7);
    long applies;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("mvstore-bench");
      file = dir.resolve("store.mv");
      MVStore.Builder builder =
          new MVStore.Builder().fileName(file.toString()).cacheSize((int) (CACHE_BYTES >> 20));
      store = (mvstoreBackground ? builder : builder.autoCommitDisabled()).open();
      store.setVersionsToKeep(Integer.MAX_VALUE);
      map = store.openMap("kv");
      long started = System.nanoTime();
      long[] sorted = sortedKeys(keys, false);
      long oldVersion = 0;
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < keys; i++) {
          map.put(sorted[i], value(sorted[i], round));
          if ((i + 1) % 1_000_000 == 0) {
            store.commit();
          }
        }
        store.commit();
        if (round == 0) {
          oldVersion = store.getCurrentVersion() - 1;
        }
      }
      store.commit();
      long millis = (System.nanoTime() - started) / 1_000_000;
      store.sync();
      oldMap = map.openVersion(oldVersion);
      byte[] expected = value(sorted[0], 0);
      if (!Arrays.equals(expected, oldMap.get(sorted[0]))) {
        throw new IllegalStateException("MVStore version " + oldVersion + " is not the old one");
      }
      long bytes = Files.size(file);
      loadedBytes = bytes;
      System.out.printf(
          "%nmvstore: loaded %d keys x 2 rounds in %d ms; file %d bytes = %.1f bytes/row%n",
          keys, millis, bytes, bytes / (double) keys);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.commit();
      System.out.printf(
          "%nmvstore: file %d bytes after the load, %d at the end%n",
          loadedBytes, Files.size(file));
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
      s.store.flush();
    }
  }

  @Benchmark
  public byte[] mvstoreGet(H2 s) {
    return s.map.get(mix(s.random.nextLong(s.keys)));
  }

  @Benchmark
  public byte[] mvstoreGetAtOldVersion(H2 s) {
    return s.oldMap.get(mix(s.random.nextLong(s.keys)));
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
    // The same durability cadence as verityApply's flush every 100 applies: written and
    // fsynced on this thread, not left to MVStore's background writer.
    if (++s.applies % 100 == 0) {
      s.store.commit();
      s.store.sync();
    }
  }
}
