package io.veritydb.bench.query;

import io.veritydb.api.TenantHandle;
import io.veritydb.api.Verity;
import io.veritydb.bench.harness.OpsPerSecond;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The comparative benchmark's read queries (W3, W4 with and without the ward index) through the
 * embedded API on a real database (paged store, log, audit trail), in one JVM under JMH: the same
 * statements as {@code VerityEngine}, on {@link #ROWS} rows. For before/after comparisons of the
 * query path (plan cache, decoding) with JMH's statistics rather than one timed phase.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main ApiQueryBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
public class ApiQueryBenchmark extends OpsPerSecond {
  static final int ROWS = 20_000;
  static final int WARDS = 100;
  static final String INSERT = "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)";
  static final String BY_ID = "SELECT * FROM patients WHERE id = ?";
  static final String BY_WARD = "SELECT * FROM patients WHERE ward = ? ORDER BY id LIMIT 100";

  Path dir;
  Verity db;
  TenantHandle tenant;
  SplittableRandom random;

  // A second database with the index, so the same statement runs with and without it.
  Path indexedDir;
  Verity indexedDb;
  TenantHandle indexed;

  @Setup
  public void setUp() throws IOException {
    random = new SplittableRandom(42);
    dir = Files.createTempDirectory("api-query-bench");
    db = Verity.open(dir);
    tenant = db.tenant(TenantId.of(1));
    load(tenant);
    indexedDir = Files.createTempDirectory("api-query-bench-indexed");
    indexedDb = Verity.open(indexedDir);
    indexed = indexedDb.tenant(TenantId.of(1));
    load(indexed);
    indexed.execute("CREATE INDEX patients_ward ON patients (ward)");
  }

  private static void load(TenantHandle t) {
    t.execute(
        "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64), ward INT, balance"
            + " BIGINT)");
    for (long start = 0; start < ROWS; start += 1000) {
      List<Object[]> rows = new ArrayList<>(1000);
      for (long id = start; id < start + 1000; id++) {
        rows.add(new Object[] {id, "patient-" + id, (int) (id % WARDS), id * 10});
      }
      t.executeBatch(INSERT, rows);
    }
  }

  @TearDown
  public void tearDown() {
    db.close();
    indexedDb.close();
    delete(dir);
    delete(indexedDir);
  }

  private static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** W3: one row by primary key. */
  @Benchmark
  public int selectById() {
    return tenant.query(BY_ID, (long) random.nextInt(ROWS)).size();
  }

  /** W4 without an index: a scan in key order until 100 rows of the ward. */
  @Benchmark
  public int selectByWardScan() {
    return tenant.query(BY_WARD, random.nextInt(WARDS)).size();
  }

  /** W4 with the index on ward. */
  @Benchmark
  public int selectByWardIndex() {
    return indexed.query(BY_WARD, random.nextInt(WARDS)).size();
  }
}
