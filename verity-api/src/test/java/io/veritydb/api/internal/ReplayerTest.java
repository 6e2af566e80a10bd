package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.NioFileIo;
import io.veritydb.kernel.Kernel;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.KeyRange;
import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayerTest {
  private static final TenantId ALICE = new TenantId(1);
  private static final TenantId BOB = new TenantId(2);

  @TempDir Path dir;

  private Engine open() {
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z"));
    return Engine.open(
        EngineConfig.builder(dir)
            .fileIo(NioFileIo.INSTANCE)
            .clock(clock)
            .logOptions(LogOptions.defaults())
            .storeOptions(StoreOptions.defaults())
            .queueCapacity(4096)
            .maxBatchCommands(4096)
            .checkpointEvery(Long.MAX_VALUE / 4)
            .statementCacheSize(16)
            .threaded(false)
            .build());
  }

  /** Drives the agent until every future is done (threaded=false: nothing else runs it). */
  private static void run(Engine engine) {
    while (engine.agent().doWork() > 0) {
      // next group
    }
  }

  @Test
  void shouldNotApplyATenantsCommandThatFollowsItsShredInTheSameGroup() {
    try (Engine engine = open()) {
      CompletableFuture<?> create =
          engine.submit(
              ALICE, "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))", new Object[0]);
      run(engine);
      create.join();
      CompletableFuture<?> shred = engine.shredTenant(ALICE, Session.NONE, "erasure request 7");
      CompletableFuture<?> late =
          engine.submit(ALICE, "INSERT INTO t VALUES (1, 'after the shred')", new Object[0]);
      run(engine);
      shred.join();
      CompletionException e = assertThrows(CompletionException.class, late::join);
      assertTrue(e.getCause() instanceof KeyException, e.getCause().toString());
      assertTrue(e.getCause().getMessage().contains("crypto-shredded"), e.getMessage());
    }
    // Reopened from scratch (a fresh store) the log gives the same state: no row of ALICE's.
    MemoryStore live = storeAfterReplay(false);
    MemoryStore ahead = storeAfterReplay(true);
    assertSameEntries(live, ahead);
    assertFalse(anyKeyOf(live, "after the shred"));
  }

  @Test
  void shouldDeriveTheSameStoreDecodingAheadAsInline() {
    try (Engine engine = open()) {
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (TenantId t : List.of(ALICE, BOB)) {
        all.add(
            engine.submit(
                t, "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))", new Object[0]));
      }
      run(engine);
      // More records than a few chunks, a shred in the middle, commands after it.
      for (int i = 0; i < 3 * Replayer.CHUNK; i++) {
        TenantId t = i % 2 == 0 ? ALICE : BOB;
        all.add(engine.submit(t, "INSERT INTO t VALUES (?, ?)", new Object[] {(long) i, "v" + i}));
        if (i == Replayer.CHUNK + 17) {
          all.add(engine.shredTenant(BOB, Session.NONE, "erasure request 8"));
        }
      }
      run(engine);
      for (CompletableFuture<?> f : all) {
        assertTrue(f.isDone());
      }
    }
    MemoryStore inline = storeAfterReplay(false);
    MemoryStore ahead = storeAfterReplay(true);
    assertSameEntries(inline, ahead);
    assertTrue(inline.appliedPosition().value() > 3L * Replayer.CHUNK);
  }

  @Test
  void shouldStopAtTheFirstUndecodableRecordHavingAppliedEverythingBefore() {
    try (Engine engine = open()) {
      List<CompletableFuture<?>> all = new ArrayList<>();
      all.add(engine.submit(ALICE, "CREATE TABLE t (id BIGINT PRIMARY KEY)", new Object[0]));
      run(engine);
      for (int i = 0; i < 2500; i++) {
        all.add(engine.submit(ALICE, "INSERT INTO t VALUES (?)", new Object[] {(long) i}));
      }
      run(engine);
      all.forEach(CompletableFuture::join);
    }
    // Without keys an encrypted record cannot be decoded: the replay stops at the first one.
    try (Log log = Log.open(NioFileIo.INSTANCE, dir.resolve("log"), LogOptions.defaults());
        MemoryStore store = new MemoryStore()) {
      KeyException e =
          assertThrows(
              KeyException.class,
              () ->
                  Replayer.replayAhead(
                      log, store, new Kernel(), null, false, log.lastPosition(), "test-decoder"));
      assertTrue(e.getMessage().contains("no keys are available"), e.getMessage());
      assertEquals(0, store.appliedPosition().value());
    }
  }

  @Test
  void shouldMarkTheChainBetweenStoreFlushesSoThatOpenHashesABoundedTail() {
    long commands = FlushSchedule.MARK_EVERY + 10;
    try (Engine engine = open()) {
      CompletableFuture<?> create =
          engine.submit(ALICE, "CREATE TABLE t (id BIGINT PRIMARY KEY)", new Object[0]);
      run(engine);
      create.join();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (long i = 1; i < commands; i++) {
        all.add(engine.submit(ALICE, "INSERT INTO t VALUES (?)", new Object[] {i}));
        if (all.size() == 4096) {
          run(engine);
          all.forEach(CompletableFuture::join);
          all.clear();
        }
      }
      run(engine);
      all.forEach(CompletableFuture::join);
    }
    // No store flush was due (checkpointEvery is huge) before close: the chain was marked on its
    // own in between, at a position before the one close flushes and marks at.
    try (Log log = Log.open(NioFileIo.INSTANCE, dir.resolve("log"), LogOptions.defaults())) {
      assertEquals(commands, log.lastPosition().value());
      assertTrue(
          log.marks().stream()
              .anyMatch(
                  c ->
                      c.position().value() >= FlushSchedule.MARK_EVERY
                          && c.position().value() < commands),
          log.marks().toString());
    }
  }

  private MemoryStore storeAfterReplay(boolean ahead) {
    MemoryStore store = new MemoryStore();
    try (Log log = Log.open(NioFileIo.INSTANCE, dir.resolve("log"), LogOptions.defaults());
        TenantCrypto crypto = TenantCrypto.open(NioFileIo.INSTANCE, dir, null, false)) {
      LogPosition last = log.lastPosition();
      if (ahead) {
        Replayer.replayAhead(log, store, new Kernel(), crypto, false, last, "test-decoder");
      } else {
        Replayer.replay(log, store, new Kernel(), crypto, false, last);
      }
      assertEquals(last, store.appliedPosition());
    }
    return store;
  }

  private static void assertSameEntries(MemoryStore a, MemoryStore b) {
    try (StoreCursor x = a.scan(KeyRange.ALL, false, Integer.MAX_VALUE);
        StoreCursor y = b.scan(KeyRange.ALL, false, Integer.MAX_VALUE)) {
      long n = 0;
      while (true) {
        boolean hx = x.next();
        boolean hy = y.next();
        assertEquals(hx, hy, "entry count differs after " + n);
        if (!hx) {
          return;
        }
        assertArrayEquals(x.key(), y.key(), "key " + n);
        assertArrayEquals(x.value(), y.value(), "value " + n);
        n++;
      }
    }
  }

  private static boolean anyKeyOf(MemoryStore store, String text) {
    try (StoreCursor c = store.scan(KeyRange.ALL, false, Integer.MAX_VALUE)) {
      while (c.next()) {
        if (new String(c.value(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }
}
