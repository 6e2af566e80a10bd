package io.veritydb.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The store on verity-io's simulated disk: failing fsyncs during flushes, torn writes, and crashes
 * of every kind (power loss, torn unsynced tail, process death). After each crash the store must
 * reopen at a flush it attempted, no older than the last one that succeeded, holding exactly the
 * model's state at that position; the test then replays the log as the runtime would and goes on.
 * Failure messages start with the seed.
 */
class PagedStoreSimulatedDiskProperties {
  private static final Path DIR = Path.of("/sim");
  private static final Path FILE = DIR.resolve("store.db");

  @Property(tries = 40)
  void reopensAtAFlushItAttemptedAfterAnyFaultOrCrash(@ForAll long seed) {
    try {
      new Run(seed).run(400);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed=" + seed + ": " + e, e);
    }
  }

  private static final class Run {
    final SplittableRandom random;
    final SimFileIo io;
    final StoreOptions options = StoreOptions.defaults().withCacheBytes(256 * 1024);
    final MemoryStore model = new MemoryStore();
    final List<Long> logPositions = new ArrayList<>();
    final List<WriteBatch> logBatches = new ArrayList<>();
    final Set<Long> attempted = new HashSet<>();
    final List<byte[]> keys = new ArrayList<>();
    PagedStore store;
    long lastGood;
    int crashes;

    Run(long seed) {
      random = new SplittableRandom(seed);
      io = new SimFileIo(seed);
      io.createDirectories(DIR);
      for (int i = 0; i < 60; i++) {
        keys.add(new byte[] {(byte) random.nextInt(4), (byte) random.nextInt(256)});
      }
      attempted.add(0L);
      store = PagedStore.open(io, FILE, options);
    }

    void run(int steps) {
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(100);
        if (op < 60) {
          apply();
        } else if (op < 75) {
          flush();
        } else if (op < 82) {
          io.setTornWriteProbability(random.nextInt(3) == 0 ? 0.02 : 0.0);
        } else if (op < 88) {
          recover();
        } else if (op < 92) {
          closeAndReopen();
        } else {
          byte[] key = keys.get(random.nextInt(keys.size()));
          assertArrayEquals(model.get(key), store.get(key), "get at step " + step);
        }
      }
      io.setTornWriteProbability(0);
      recover();
      assertTrue(crashes > 0);
    }

    void apply() {
      long position = model.appliedPosition().value() + 1;
      WriteBatch batch = new WriteBatch();
      int writes = 1 + random.nextInt(12);
      for (int i = 0; i < writes; i++) {
        byte[] key = keys.get(random.nextInt(keys.size()));
        if (random.nextInt(5) == 0) {
          batch.delete(key);
        } else {
          batch.put(key, new byte[random.nextInt(10) == 0 ? 3000 : random.nextInt(200)]);
        }
      }
      model.apply(LogPosition.of(position), batch);
      logPositions.add(position);
      logBatches.add(batch);
      try {
        store.apply(LogPosition.of(position), batch);
      } catch (UnavailableException e) {
        recover(); // a torn early write: the store failed; reopen and replay
      }
    }

    void flush() {
      if (random.nextInt(3) == 0) {
        io.failNextSyncs(1);
      }
      long position = store.appliedPosition().value();
      attempted.add(position);
      try {
        store.flush();
        lastGood = position;
      } catch (UnavailableException e) {
        recover();
      }
    }

    /**
     * Close flushes and may compact (two more flushes at the same position), with the faults in
     * force; then a crash of any kind and a reopen.
     */
    void closeAndReopen() {
      if (random.nextInt(3) == 0) {
        io.failNextSyncs(1);
      }
      long position = store.appliedPosition().value();
      attempted.add(position);
      try {
        store.close();
        lastGood = position;
      } catch (UnavailableException e) {
        // a failed sync: the store reopens at a flush it attempted
      }
      recover();
    }

    void recover() {
      crashes++;
      SimFileIo.CrashMode[] modes = SimFileIo.CrashMode.values();
      io.crash(modes[random.nextInt(modes.length)]);
      io.failNextSyncs(0);
      io.setTornWriteProbability(0);
      store = PagedStore.open(io, FILE, options);
      long opened = store.appliedPosition().value();
      assertTrue(
          attempted.contains(opened) && opened >= lastGood,
          "reopened at " + opened + ", last good flush " + lastGood);
      LogPosition at = LogPosition.of(opened);
      assertEquals(
          StoreAsserts.drain(model.scanAt(KeyRange.ALL, at, false, Integer.MAX_VALUE)),
          StoreAsserts.drain(store.scan(KeyRange.ALL, false, Integer.MAX_VALUE)),
          "state after reopening at " + opened);
      lastGood = opened;
      for (int i = 0; i < logPositions.size(); i++) {
        if (logPositions.get(i) > opened) {
          store.apply(LogPosition.of(logPositions.get(i)), logBatches.get(i));
        }
      }
      assertEquals(model.appliedPosition(), store.appliedPosition());
    }
  }
}
