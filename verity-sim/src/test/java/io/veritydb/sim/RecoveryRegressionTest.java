package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.internal.Engine;
import io.veritydb.api.internal.EngineConfig;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Directed scenarios for engine bugs the simulator found and that were fixed, independent of how
 * seeds map to I/O sequences (which changes whenever the engine does).
 */
class RecoveryRegressionTest {
  private static final Path DIR = Path.of("/known/db");
  private static final TenantId T = TenantId.of(1);

  private static Engine open(SimFileIo disk) {
    return Engine.open(
        EngineConfig.builder(DIR)
            .fileIo(disk)
            .clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
            .logOptions(LogOptions.builder().parallelism(1).build())
            .storeOptions(StoreOptions.defaults().withCacheBytes(256 << 10))
            .queueCapacity(64)
            .maxBatchCommands(8)
            .checkpointEvery(1_000_000)
            .statementCacheSize(16)
            .threaded(false)
            .seededRandomForSimulation(disk.random().nextLong())
            .build());
  }

  private static ExecuteResult run(Engine e, String sql) {
    CompletableFuture<ExecuteResult> f = e.submit(T, sql, new Object[0]);
    e.agent().doWork();
    return f.join();
  }

  /**
   * An fsync of the log fails, the engine stops, and the database is reopened without a power loss:
   * recovery must make the records it accepts durable before it builds on them, so that a later
   * power loss cannot take them from under the store.
   */
  @Test
  void shouldMakeTheAcceptedLogTailDurableBeforeBuildingOnIt() {
    SimFileIo disk = new SimFileIo(1);
    Engine e = open(disk);
    run(e, "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
    // every fsync fails from now on: the insert is written to the log but not made durable
    disk.setSyncFailureProbability(1.0);
    CompletableFuture<ExecuteResult> insert =
        e.submit(T, "INSERT INTO t (id, v) VALUES (1, 1)", new Object[0]);
    e.agent().doWork();
    assertTrue(insert.isCompletedExceptionally(), "the append's fsync failed");
    RuntimeException closing = null;
    try {
      e.close();
    } catch (RuntimeException c) {
      closing = c; // the engine had stopped: closing may report it
    }
    assertTrue(closing == null || closing.getMessage() != null);
    disk.setSyncFailureProbability(0);
    Engine reopened = open(disk); // recovery replays the unsynced insert and flushes the store
    reopened.close();
    disk.crash(SimFileIo.CrashMode.LOSE_UNSYNCED); // the unsynced log record is gone
    Engine afterPowerLoss = open(disk);
    ExecuteResult next = run(afterPowerLoss, "INSERT INTO t (id, v) VALUES (2, 2)");
    assertTrue(next.position().value() >= 2, "the database keeps working: " + next);
    afterPowerLoss.close();
  }
}
