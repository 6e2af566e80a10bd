package io.veritydb.bench.store;

import io.veritydb.bench.harness.OpsPerSecond;
import io.veritydb.io.NioFileIo;
import io.veritydb.store.PagedStore;
import io.veritydb.store.StoreOptions;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Group apply: single-put applies (what log replay and group commit do: one position per command)
 * published after every apply ({@code publishEvery=1}, i.e. {@code apply}) versus applied
 * unpublished and published every 1000 ({@code applyUnpublished} + {@code publish}). The store
 * holds {@code keys} rows (8-byte keys, 100-byte values) before the run; each put writes a random
 * existing key (an update: a new version) or, with {@code order=ascending}, the next new key (an
 * insert at the right edge). A flush every 100,000 applies (both variants).
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main GroupApplyBenchmark -f 1 -wi 2 -i 3 -w 2s -r
 * 2s}; the ratio of the two {@code publishEvery} scores is the gain.
 */
@State(Scope.Benchmark)
public class GroupApplyBenchmark extends OpsPerSecond {
  static final int APPLIES_PER_INVOCATION = 1000;
  static final int FLUSH_EVERY = 100_000;

  @Param({"1", "1000"})
  public int publishEvery;

  @Param({"100000"})
  public int keys;

  @Param({"random", "ascending"})
  public String order;

  Path dir;
  PagedStore store;
  long position;
  long nextKey;
  final SplittableRandom random = new SplittableRandom(11);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("verity-group-apply");
    store =
        PagedStore.open(
            NioFileIo.INSTANCE,
            dir.resolve("store.db"),
            StoreOptions.defaults().withCacheBytes(256L << 20));
    for (long i = 0; i < keys; i += 1000) {
      WriteBatch batch = new WriteBatch();
      for (long j = i; j < Math.min(keys, i + 1000); j++) {
        batch.put(StoreBenchmark.keyBytes(j), StoreBenchmark.value(j, 0));
      }
      store.apply(LogPosition.of(++position), batch);
    }
    store.flush();
    nextKey = keys;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    StoreBenchmark.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(APPLIES_PER_INVOCATION)
  public void singlePutApplies() {
    boolean ascending = order.equals("ascending");
    for (int i = 0; i < APPLIES_PER_INVOCATION; i++) {
      long k = ascending ? nextKey++ : random.nextLong(keys);
      WriteBatch batch =
          new WriteBatch().put(StoreBenchmark.keyBytes(k), StoreBenchmark.value(k, 1));
      LogPosition at = LogPosition.of(++position);
      if (publishEvery == 1) {
        store.apply(at, batch);
      } else {
        store.applyUnpublished(at, batch);
        if (position % publishEvery == 0) {
          store.publish();
        }
      }
      if (position % FLUSH_EVERY == 0) {
        store.flush();
      }
    }
  }
}
