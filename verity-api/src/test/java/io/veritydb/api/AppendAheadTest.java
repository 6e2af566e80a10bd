package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileHandle;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big groups are applied to the store while a second thread appends them to the log. When that
 * append fails, what was applied ahead of it must never reach the store file: the database stops,
 * closes without flushing the store, and reopens with exactly the durable commands.
 */
class AppendAheadTest {
  private static final String INSERT = "INSERT INTO t (id, name) VALUES (?, ?)";

  @TempDir Path dir;

  /** Fails every write or every sync of a log segment once armed. */
  private static final class FailingLog extends ForwardingFileIo {
    volatile boolean failWrites;
    volatile boolean failSyncs;

    FailingLog() {
      super(NioFileIo.INSTANCE);
    }

    @Override
    public FileHandle open(Path path, Mode mode) {
      FileHandle handle = delegate().open(path, mode);
      if (!path.getParent().getFileName().toString().equals("log")) {
        return handle;
      }
      return new ForwardingFileHandle(handle) {
        @Override
        public void write(ByteBuffer source, long offset) {
          if (failWrites) {
            throw new UncheckedIOException(new java.io.IOException("injected write failure"));
          }
          super.write(source, offset);
        }

        @Override
        public void sync() {
          if (failSyncs) {
            throw new UncheckedIOException(new java.io.IOException("injected fsync failure"));
          }
          super.sync();
        }
      };
    }
  }

  private static Verity open(Path dir, FileIo io) {
    return Verity.builder(dir).fileIo(io).open();
  }

  private static List<Object[]> rows(int from, int count) {
    List<Object[]> rows = new ArrayList<>(count);
    for (int id = from; id < from + count; id++) {
      rows.add(new Object[] {id, "patient-" + id + "-with-a-longer-name"});
    }
    return rows;
  }

  private static long count(TenantHandle t) {
    return t.query("SELECT id FROM t").size();
  }

  private void failedAppendLeavesOnlyDurableCommands(boolean failWrites) {
    FailingLog io = new FailingLog();
    Verity db = open(dir, io);
    TenantHandle t = db.tenant(TenantId.of(1));
    t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(64))");
    t.executeBatch(INSERT, rows(0, 1000));
    if (failWrites) {
      io.failWrites = true;
    } else {
      io.failSyncs = true;
    }
    // Several callers at once make a group of several commands: applied while appended. Once the
    // database has stopped, a submission fails at once instead of returning a future.
    List<Throwable> failures = new ArrayList<>();
    List<CompletableFuture<ExecuteResult>> group = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      try {
        group.add(t.executeBatchAsync(INSERT, rows(i * 1000, 1000)));
      } catch (UnavailableException e) {
        failures.add(e);
      }
    }
    for (CompletableFuture<ExecuteResult> f : group) {
      failures.add(assertThrows(CompletionException.class, f::join).getCause());
    }
    assertEquals(4, failures.size());
    for (Throwable e : failures) {
      assertTrue(e instanceof UnavailableException, e.toString());
      assertTrue(e.getMessage().contains("the log append failed"), e.getMessage());
    }
    assertThrows(UnavailableException.class, () -> t.executeBatch(INSERT, rows(9000, 10)));
    assertEquals(1000, count(t), "nothing of the failed group is visible");
    db.close();

    io.failWrites = false;
    io.failSyncs = false;
    try (Verity reopened = open(dir, io)) {
      TenantHandle again = reopened.tenant(TenantId.of(1));
      long n = count(again);
      if (failWrites) {
        assertEquals(1000, n, "the failed writes never reached the log");
      } else {
        // Written but not synced: each command is in the log whole, or not at all.
        assertEquals(0, (n - 1000) % 1000, "whole commands only, got " + n);
      }
      again.executeBatch(INSERT, rows(20_000, 1000));
      assertEquals(n + 1000, count(again));
    }
  }

  @Test
  void shouldNotKeepAppliedGroupWhoseLogWriteFailed() {
    failedAppendLeavesOnlyDurableCommands(true);
  }

  @Test
  void shouldReopenAfterAGroupWhoseLogFsyncFailed() {
    failedAppendLeavesOnlyDurableCommands(false);
  }

  @Test
  void shouldApplyConcurrentBigGroupsInLogOrder() {
    try (Verity db = open(dir, NioFileIo.INSTANCE)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(64))");
      List<CompletableFuture<ExecuteResult>> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        all.add(t.executeBatchAsync(INSERT, rows(i * 500, 500)));
        all.add(t.executeAsync(INSERT, 1_000_000 + i, "single"));
      }
      long previous = 0;
      for (CompletableFuture<ExecuteResult> f : all) {
        ExecuteResult r = f.join();
        assertTrue(r.position().value() > previous, "positions follow submission order");
        previous = r.position().value();
      }
      assertEquals(40 * 500 + 40, count(t));
      assertEquals(db.lastPosition(), t.query("SELECT id FROM t WHERE id = 1").position());
    }
    try (Verity db = open(dir, NioFileIo.INSTANCE)) {
      assertEquals(40 * 500 + 40, count(db.tenant(TenantId.of(1))));
    }
  }
}
