package io.veritydb.bench.store;

import io.veritydb.api.TenantHandle;
import io.veritydb.api.Verity;
import io.veritydb.io.NioFileIo;
import io.veritydb.store.PagedStore;
import io.veritydb.store.StoreOptions;
import io.veritydb.store.StoreStats;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where the projection store's bytes go on the W5 workload: patients(id BIGINT PK, name
 * VARCHAR(64), ward INT, balance BIGINT), {@code rows} rows inserted in 1000-row batches in
 * ascending id, an index on ward, then every row updated once (UPDATE ... WHERE id IN (1000 random
 * ids)); after each phase, a clean close, then the store file's size per row and its free pages.
 * Not JMH: {@code java -cp ... io.veritydb.bench.store.StoreBytesPerRow [rows]}.
 */
public final class StoreBytesPerRow {
  private StoreBytesPerRow() {}

  static final String INSERT = "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)";

  public static void main(String[] args) throws IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = Files.createTempDirectory("verity-store-bytes");
    try {
      try (Verity db = Verity.open(dir)) {
        TenantHandle t = db.tenant(TenantId.of(1));
        t.execute(
            "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64), ward INT,"
                + " balance BIGINT)");
        for (long id = 1; id <= rows; id += 1000) {
          List<Object[]> batch = new ArrayList<>();
          for (long i = id; i < Math.min(rows + 1L, id + 1000); i++) {
            batch.add(new Object[] {i, "patient-" + i, (int) (i % 100), i * 7});
          }
          t.executeBatch(INSERT, batch);
        }
        t.execute("CREATE INDEX patients_ward ON patients (ward)");
      }
      report("after load and index", dir, rows);
      try (Verity db = Verity.open(dir)) {
        TenantHandle t = db.tenant(TenantId.of(1));
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) {
          ids[i] = i + 1L;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = rows - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          long x = ids[i];
          ids[i] = ids[j];
          ids[j] = x;
        }
        for (int b = 0; b < rows; b += 1000) {
          int n = Math.min(1000, rows - b);
          StringBuilder sql = new StringBuilder("UPDATE patients SET balance = ? WHERE id IN (?");
          Object[] params = new Object[n + 1];
          params[0] = (long) b;
          params[1] = ids[b];
          for (int i = 1; i < n; i++) {
            sql.append(", ?");
            params[i + 1] = ids[b + i];
          }
          t.execute(sql.append(')').toString(), params);
        }
      }
      report("after updating every row once", dir, rows);
    } finally {
      StoreBenchmark.deleteTree(dir);
    }
  }

  private static void report(String phase, Path dir, int rows) throws IOException {
    Path file = dir.resolve("store").resolve("projection.db");
    long bytes = Files.size(file);
    StoreStats stats;
    try (PagedStore store =
        PagedStore.open(
            NioFileIo.INSTANCE, file, StoreOptions.defaults().withCompactOnClose(false))) {
      stats = store.stats();
    }
    System.out.printf(
        "%s: store file %d bytes = %.1f bytes/row; %d pages, %d free%n",
        phase, bytes, bytes / (double) rows, stats.filePages(), stats.freePages());
  }
}
