package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.internal.Engine;
import io.veritydb.api.internal.EngineConfig;
import io.veritydb.api.internal.Session;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Crashes the machine at every file operation of a crypto-shred (and in every crash mode), then
 * reopens: either the shred was not durable (and the tenant is intact) or, whether or not it had
 * finished, the tenant is gone at every position while the other tenant is intact and the database
 * keeps working. Never a half state.
 */
class ShredCrashTest {
  private static final Path DIR = Path.of("/shred/db");
  private static final TenantId GONE = TenantId.of(1);
  private static final TenantId KEPT = TenantId.of(2);

  /** Each open draws keys and nonces from a new seed, as a restarted process would. */
  private static long opens;

  private static Engine open(FileIo io) {
    return Engine.open(
        EngineConfig.builder(DIR)
            .fileIo(io)
            .clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
            .logOptions(LogOptions.builder().parallelism(1).build())
            .storeOptions(StoreOptions.defaults().withCacheBytes(256 << 10))
            .queueCapacity(64)
            .maxBatchCommands(8)
            .checkpointEvery(3)
            .statementCacheSize(16)
            .threaded(false)
            .seededRandomForSimulation(++opens)
            .build());
  }

  private static ExecuteResult run(Engine e, TenantId tenant, String sql) {
    CompletableFuture<ExecuteResult> f = e.submit(tenant, sql, new Object[0]);
    e.agent().doWork();
    return f.join();
  }

  @Test
  void aCrashAnywhereInAShredLeavesTheTenantWholeOrGoneEverywhere() {
    int crashes = 0;
    for (SimFileIo.CrashMode mode : SimFileIo.CrashMode.values()) {
      for (int n = 1; n < 200; n++) {
        SimFileIo disk = new SimFileIo(n);
        CrashingFileIo io = new CrashingFileIo(disk);
        Engine e = open(io);
        for (TenantId t : new TenantId[] {GONE, KEPT}) {
          run(e, t, "CREATE TABLE p (id BIGINT PRIMARY KEY, v TEXT)");
          run(e, t, "INSERT INTO p (id, v) VALUES (1, 'a'), (2, 'b')");
          run(e, t, "UPDATE p SET v = 'c' WHERE id = 1");
        }
        LogPosition before = e.lastPosition();
        io.arm(n, n % 2 == 0, mode);
        boolean crashed = false;
        try {
          CompletableFuture<ExecuteResult> shred = e.shredTenant(GONE, Session.NONE, "test");
          e.agent().doWork();
          shred.join();
          e.close();
        } catch (SimulatedCrash c) {
          crashed = true;
        }
        io.disarm();
        if (!crashed) {
          break; // n is past the last file operation of the shred and the close
        }
        crashes++;
        Engine reopened = open(io);
        boolean gone;
        try {
          reopened.query(GONE, null, "SELECT * FROM p", new Object[0]);
          gone = false;
        } catch (KeyException expected) { // "tenant 1 was crypto-shredded"
          gone = true;
        }
        boolean shredInLog = reopened.lastPosition().isAfter(before);
        assertEquals(
            shredInLog,
            gone,
            "mode="
                + mode
                + " n="
                + n
                + ": the tenant must be gone exactly when the shred is in the log");
        if (gone) {
          assertThrows(
              KeyException.class,
              () -> reopened.query(GONE, before, "SELECT * FROM p", new Object[0]),
              "mode=" + mode + " n=" + n + ": gone now but still there in the past");
        } else {
          assertEquals(
              2,
              reopened.query(GONE, null, "SELECT * FROM p", new Object[0]).size(),
              "mode=" + mode + " n=" + n);
        }
        assertEquals(
            2,
            reopened.query(KEPT, null, "SELECT * FROM p", new Object[0]).size(),
            "mode=" + mode + " n=" + n);
        run(reopened, KEPT, "INSERT INTO p (id, v) VALUES (3, 'd')");
        reopened.close();
      }
    }
    assertTrue(crashes > 10, "the crash points must cover the shred: " + crashes);
  }
}
