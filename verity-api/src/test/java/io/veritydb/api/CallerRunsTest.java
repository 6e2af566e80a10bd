package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synchronous {@code execute} may run the kernel agent's step on the caller's thread when the
 * kernel thread is idle. Whoever runs it, every command gets one position, is answered once it is
 * durable and visible, and a close waits for a caller that is running a step.
 */
class CallerRunsTest {
  @TempDir Path dir;

  private static final String INSERT = "INSERT INTO t (id, v) VALUES (?, ?)";

  @Test
  void shouldAnswerEveryCommandOnceWhenWaitingAndAsyncWritersMix() throws Exception {
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
      Set<LogPosition> positions = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<ExecuteResult>> futures =
          Collections.synchronizedList(new ArrayList<>());
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        int writer = w;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 150; i++) {
                      long id = writer * 1000L + i;
                      if (writer % 2 == 0) {
                        ExecuteResult r = t.execute(INSERT, id, i);
                        assertTrue(positions.add(r.position()), "position given twice");
                        // Read your write: answered means visible.
                        assertEquals(1, t.query("SELECT * FROM t WHERE id = ?", id).size());
                      } else {
                        futures.add(t.executeAsync(INSERT, id, i));
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "writer-" + w);
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      if (failure.get() != null) {
        throw new AssertionError("a writer failed", failure.get());
      }
      for (CompletableFuture<ExecuteResult> f : futures) {
        assertTrue(positions.add(f.get().position()), "position given twice");
      }
      assertEquals(900, positions.size());
      assertEquals(900, t.query("SELECT id FROM t").size());
      // One after another, a single caller (the kernel thread idle in between) still gets
      // consecutive positions.
      long before = db.lastPosition().value();
      for (int i = 0; i < 20; i++) {
        assertEquals(before + 1 + i, t.execute(INSERT, 100_000L + i, i).position().value());
      }
    }
  }

  @Test
  void shouldKeepEveryAcknowledgedWriteWhenClosedWhileCallersWrite() throws Exception {
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Verity db = Verity.open(dir);
    TenantHandle t = db.tenant(TenantId.of(1));
    t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
    CountDownLatch started = new CountDownLatch(3);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      Thread thread =
          new Thread(
              () -> {
                started.countDown();
                for (long i = 0; ; i++) {
                  long id = writer * 1_000_000L + i;
                  try {
                    t.execute(INSERT, id, (int) i);
                    acknowledged.add(id);
                  } catch (ClosedException closed) {
                    return;
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    return;
                  }
                }
              },
              "writer-" + w);
      threads.add(thread);
      thread.start();
    }
    started.await();
    while (acknowledged.size() < 300) {
      Thread.onSpinWait();
    }
    db.close();
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a writer failed with something else than closed", failure.get());
    }
    try (Verity reopened = Verity.open(dir)) {
      Set<Long> stored = new HashSet<>();
      for (Row row : reopened.tenant(TenantId.of(1)).query("SELECT id FROM t")) {
        stored.add((Long) row.get("id"));
      }
      assertTrue(stored.containsAll(acknowledged), "an acknowledged write is missing");
    }
  }
}
