package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callers that submit faster than the kernel thread writes wait for room in the queue. */
class QueueFullTest {
  @TempDir Path dir;

  @Test
  void shouldAcceptEveryCommandWhenWritersOverrunATinyQueue() throws Exception {
    try (Verity db = Verity.builder(dir).queueCapacity(2).open()) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE q (id BIGINT PRIMARY KEY, w INT)");
      List<CompletableFuture<ExecuteResult>> futures = new ArrayList<>();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread thread =
            new Thread(
                () -> {
                  for (long i = 0; i < 300; i++) {
                    CompletableFuture<ExecuteResult> f =
                        t.executeAsync(
                            "INSERT INTO q (id, w) VALUES (?, ?)", writer * 1000L + i, writer);
                    synchronized (futures) {
                      futures.add(f);
                    }
                  }
                },
                "writer-" + w);
        writers.add(thread);
        thread.start();
      }
      for (Thread thread : writers) {
        thread.join();
      }
      Set<LogPosition> positions = ConcurrentHashMap.newKeySet();
      synchronized (futures) {
        for (CompletableFuture<ExecuteResult> f : futures) {
          positions.add(f.get().position());
        }
      }
      assertEquals(1200, positions.size());
      assertEquals(1200, t.query("SELECT id FROM q").size());
    }
  }
}
