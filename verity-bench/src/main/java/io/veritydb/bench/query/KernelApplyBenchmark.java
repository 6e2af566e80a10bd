package io.veritydb.bench.query;

import io.veritydb.bench.harness.OpsPerSecond;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.Kernel;
import io.veritydb.kernel.Outcome;
import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The kernel's share of replay (W7) and of a batch insert (W2): {@code Kernel.apply} of a
 * single-row INSERT (what replaying one log record costs the kernel: table lookup, checks,
 * duplicate check, encoding) and of a 1000-row INSERT of new ascending keys, over an in-memory
 * store of {@link #ROWS} rows. The writes are returned, not applied, so every invocation sees the
 * same store.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main KernelApplyBenchmark -f 1 -wi 2 -i 3 -w 2s -r
 * 2s}
 */
@State(Scope.Benchmark)
public class KernelApplyBenchmark extends OpsPerSecond {
  static final int ROWS = 50_000;
  static final int BATCH = 1000;
  static final TenantId TENANT = TenantId.of(1);
  static final List<String> COLUMNS = List.of("id", "name", "ward", "balance");

  MemoryStore store;
  StoreSnapshot snapshot;
  Kernel kernel;
  Command.Insert[] singles;
  Command.Insert batch;
  int next;

  @Setup
  public void setUp() {
    store = new MemoryStore();
    kernel = new Kernel();
    apply(
        new Command.CreateTable(
            "patients",
            List.of(
                new io.veritydb.kernel.ColumnDef("id", io.veritydb.types.SqlType.BIGINT, true),
                new io.veritydb.kernel.ColumnDef(
                    "name", io.veritydb.types.SqlType.varchar(64), false),
                new io.veritydb.kernel.ColumnDef("ward", io.veritydb.types.SqlType.INT, false),
                new io.veritydb.kernel.ColumnDef(
                    "balance", io.veritydb.types.SqlType.BIGINT, false)),
            List.of("id")));
    for (int start = 0; start < ROWS; start += BATCH) {
      apply(insert(start, BATCH));
    }
    snapshot = store.snapshot();
    singles = new Command.Insert[4096];
    for (int i = 0; i < singles.length; i++) {
      singles[i] = insert(ROWS + i, 1);
    }
    batch = insert(ROWS, BATCH);
  }

  private static Command.Insert insert(long first, int count) {
    List<Object[]> rows = new ArrayList<>(count);
    for (long id = first; id < first + count; id++) {
      rows.add(new Object[] {id, "patient-" + id, (int) (id % 100), id * 10});
    }
    return new Command.Insert("patients", COLUMNS, rows);
  }

  private void apply(Command c) {
    LogPosition at = store.appliedPosition().next();
    store.apply(at, kernel.apply(store, TENANT, at, c).batch());
  }

  @TearDown
  public void tearDown() {
    snapshot.close();
    store.close();
  }

  /** One replayed single-row INSERT record. */
  @Benchmark
  public Outcome applySingleRowInsert() {
    Command.Insert c = singles[next++ & (singles.length - 1)];
    return kernel.apply(snapshot, TENANT, snapshot.position().next(), c);
  }

  /** Per row of a 1000-row INSERT (executeBatch) of new keys. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Outcome applyBatchRow() {
    return kernel.apply(snapshot, TENANT, snapshot.position().next(), batch);
  }
}
