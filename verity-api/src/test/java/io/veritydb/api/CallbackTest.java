package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Futures of commands complete on the kernel thread, so a callback chained with a non-async method
 * runs there. A call from it that waits for another command would wait for that thread itself.
 */
class CallbackTest {
  @TempDir Path dir;

  /** What the callback saw: whether it ran on the kernel thread, and what execute() did. */
  private record Seen(boolean onKernelThread, String outcome) {}

  @Test
  void shouldRefuseToWaitForTheKernelThreadFromACallbackRunningOnIt() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          try (Verity db = Verity.open(dir)) {
            TenantHandle t = db.tenant(TenantId.of(1));
            t.execute("CREATE TABLE c (id BIGINT PRIMARY KEY)");
            List<Object[]> rows = new ArrayList<>();
            int onKernel = 0;
            for (int attempt = 0; attempt < 200 && onKernel < 3; attempt++) {
              rows.clear();
              for (long i = 0; i < 2000; i++) {
                rows.add(new Object[] {attempt * 10_000L + i});
              }
              long refusedId = -1L - attempt;
              CompletableFuture<Seen> seen =
                  t.executeBatchAsync("INSERT INTO c (id) VALUES (?)", rows)
                      .thenApply(
                          r -> {
                            boolean kernel =
                                Thread.currentThread().getName().startsWith("verity-kernel");
                            try {
                              t.execute("INSERT INTO c (id) VALUES (?)", refusedId);
                              return new Seen(kernel, "executed");
                            } catch (BadRequestException e) {
                              return new Seen(kernel, e.getMessage());
                            }
                          });
              Seen s = seen.join();
              boolean stored = t.query("SELECT * FROM c WHERE id = ?", refusedId).size() == 1;
              if (s.onKernelThread()) {
                onKernel++;
                assertTrue(s.outcome().contains("called on that thread"), s.outcome());
                assertTrue(!stored, "a refused execute() must not write");
              } else {
                assertEquals("executed", s.outcome());
                assertTrue(stored);
              }
            }
            assertTrue(onKernel > 0, "no callback ran on the kernel thread in 200 attempts");
            // An async submission from such a callback does not wait, so it is allowed.
            CompletableFuture<ExecuteResult> nested =
                t.executeAsync("INSERT INTO c (id) VALUES (?)", 5_000_000L)
                    .thenCompose(r -> t.executeAsync("INSERT INTO c (id) VALUES (?)", 5_000_001L));
            nested.join();
            assertEquals(1, t.query("SELECT * FROM c WHERE id = ?", 5_000_001L).size());
          }
        });
  }
}
