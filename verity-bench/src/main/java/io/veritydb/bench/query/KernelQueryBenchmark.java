package io.veritydb.bench.query;

import io.veritydb.bench.harness.OpsPerSecond;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.kernel.Kernel;
import io.veritydb.kernel.Outcome;
import io.veritydb.query.Prepared;
import io.veritydb.query.QueryEngine;
import io.veritydb.query.QueryResult;
import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU cost of the SQL front end and the kernel, over the in-memory store so that no I/O is
 * measured: parsing (cache miss) vs a cached prepare, binding and applying a 1000-row INSERT batch
 * (one command), encoding it for the log, and SELECTs by primary key point, primary key range,
 * secondary index and sorted top-N, on a table of {@link #ROWS} rows.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main KernelQueryBenchmark -f 1 -wi 2 -i 3 -w 2s -r
 * 2s}
 */
@State(Scope.Benchmark)
public class KernelQueryBenchmark extends OpsPerSecond {
  static final int ROWS = 50_000;
  static final int BATCH = 1000;
  static final TenantId TENANT = TenantId.of(1);
  static final String INSERT = "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)";

  MemoryStore store;
  StoreSnapshot snapshot;
  QueryEngine engine;
  Kernel kernel;
  List<Object[]> batch;
  SplittableRandom random;
  Prepared point;
  Prepared range;
  Prepared byWard;
  Prepared topN;
  int unique;

  @Setup
  public void setUp() {
    store = new MemoryStore();
    engine = new QueryEngine(1024);
    kernel = new Kernel();
    random = new SplittableRandom(42);
    write(
        engine
            .prepare(
                "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL,"
                    + " ward INT, balance DECIMAL(10,2))")
            .bind(store, TENANT));
    write(engine.prepare("CREATE INDEX patients_ward ON patients (ward)").bind(store, TENANT));
    for (int start = 0; start < ROWS; start += BATCH) {
      write(engine.prepare(INSERT).bindBatch(store, TENANT, rows(start)));
    }
    batch = rows(ROWS);
    snapshot = store.snapshot();
    point = engine.prepare("SELECT * FROM patients WHERE id = ?");
    range = engine.prepare("SELECT id, name FROM patients WHERE id BETWEEN ? AND ?");
    byWard = engine.prepare("SELECT id, name FROM patients WHERE ward = ?");
    topN =
        engine.prepare("SELECT id, name FROM patients WHERE ward = ? ORDER BY name DESC LIMIT 10");
  }

  @TearDown
  public void tearDown() {
    snapshot.close();
    store.close();
  }

  private static List<Object[]> rows(int start) {
    List<Object[]> rows = new ArrayList<>(BATCH);
    for (int i = start; i < start + BATCH; i++) {
      rows.add(
          new Object[] {
            (long) i, "patient-" + i, i % 500, java.math.BigDecimal.valueOf(i % 100_000, 2)
          });
    }
    return rows;
  }

  private void write(Command c) {
    LogPosition next = store.appliedPosition().next();
    Outcome o = kernel.apply(store, TENANT, next, c);
    store.apply(next, o.batch());
  }

  /** Parse and translate a statement that is not cached (distinct text each time). */
  @Benchmark
  public Prepared prepareUncached() {
    return new QueryEngine(0)
        .prepare("SELECT id, name FROM patients WHERE ward = " + (unique++ & 1023));
  }

  @Benchmark
  public Prepared prepareCached() {
    return engine.prepare("SELECT id, name FROM patients WHERE ward = ?");
  }

  /** Bind 1000 parameter rows and let the kernel check and encode them (not applied). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Outcome insertBatchRow() {
    Command c = engine.prepare(INSERT).bindBatch(snapshot, TENANT, batch);
    return kernel.apply(snapshot, TENANT, snapshot.position().next(), c);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] encodeBatchRow() {
    return CommandCodec.encode(
        new Command.Insert("patients", List.of("id", "name", "ward", "balance"), batch));
  }

  @Benchmark
  public QueryResult selectByPrimaryKey() {
    return point.execute(snapshot, snapshot.position(), TENANT, (long) random.nextInt(ROWS));
  }

  /** 100 rows by primary key range. */
  @Benchmark
  public QueryResult selectRange100() {
    long from = random.nextInt(ROWS - 100);
    return range.execute(snapshot, snapshot.position(), TENANT, from, from + 99);
  }

  /** 100 rows through the secondary index. */
  @Benchmark
  public QueryResult selectByIndex100() {
    return byWard.execute(snapshot, snapshot.position(), TENANT, random.nextInt(500));
  }

  /** 100 rows through the index, sorted, top 10. */
  @Benchmark
  public QueryResult selectTopN() {
    return topN.execute(snapshot, snapshot.position(), TENANT, random.nextInt(500));
  }
}
