package io.veritydb.bench.compare;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.TenantHandle;
import io.veritydb.api.Verity;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * W7's victim, run in its own JVM: writes {@code records} single-row INSERT commands with no store
 * flush after the CREATE TABLE, prints {@code WRITTEN <n> <position>} once all are durable, then
 * waits to be killed (it never closes the database, so the store is never flushed).
 */
public final class CrashWriter {
  private CrashWriter() {}

  static final String READY = "WRITTEN";

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CrashWriter <dir> <records>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int records = Integer.parseInt(args[1]);
    Verity db = Verity.builder(dir).checkpointEvery(Long.MAX_VALUE / 4).open();
    TenantHandle t = db.tenant(TenantId.of(1));
    t.execute(
        "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64), ward INT, balance"
            + " BIGINT)");
    ArrayDeque<CompletableFuture<ExecuteResult>> window = new ArrayDeque<>();
    for (long id = 1; id <= records; id++) {
      if (window.size() >= 1024) {
        window.removeFirst().join();
      }
      window.addLast(
          t.executeAsync(
              "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)",
              id,
              "patient-" + id,
              (int) (id % 100),
              id * 7));
    }
    while (!window.isEmpty()) {
      window.removeFirst().join();
    }
    System.out.println(READY + " " + records + " " + db.lastPosition().value());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Wait for the kill; the parent never writes.
    }
  }
}
