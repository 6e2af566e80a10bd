package io.veritydb.bench.compliance;

import io.veritydb.api.TenantHandle;
import io.veritydb.api.Verity;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cost of tenant encryption on insert throughput, as a ratio measured in one run: the same
 * inserts into a database with encrypted payloads and into one without, alternated round by round
 * so that load changes on a shared machine hit both. Prints one line per figure.
 *
 * <pre>
 *   java -cp ... io.veritydb.bench.compliance.EncryptionCost [rounds] [batches per round]
 * </pre>
 */
public final class EncryptionCost {
  private EncryptionCost() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path root = Files.createTempDirectory("verity-encryption-cost");
    try (Verity encrypted = Verity.builder(root.resolve("encrypted")).open();
        Verity plain = Verity.builder(root.resolve("plain")).encryptPayloads(false).open()) {
      TenantHandle e = prepare(encrypted);
      TenantHandle p = prepare(plain);
      List<Double> batchRatios = new ArrayList<>();
      List<Double> singleRatios = new ArrayList<>();
      long next = 0;
      for (int round = 0; round < rounds; round++) {
        double eb = batchRate(e, next, batches);
        double pb = batchRate(p, next, batches);
        double es = singleRate(e, next + 10_000_000, 200);
        double ps = singleRate(p, next + 10_000_000, 200);
        next += 20_000_000;
        batchRatios.add(eb / pb);
        singleRatios.add(es / ps);
        System.out.printf(
            "round=%d batch_rows_per_s encrypted=%.0f plain=%.0f single_rows_per_s encrypted=%.0f"
                + " plain=%.0f%n",
            round, eb, pb, es, ps);
      }
      System.out.printf(
          "engine=verity workload=encryption-cost-batch1000 value=%.3f unit=ratio_encrypted_to_plain%n",
          median(batchRatios));
      System.out.printf(
          "engine=verity workload=encryption-cost-single value=%.3f unit=ratio_encrypted_to_plain%n",
          median(singleRatios));
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private static TenantHandle prepare(Verity db) {
    TenantHandle t = db.tenant(TenantId.of(1));
    t.execute(
        "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64), ward INT, balance BIGINT)");
    return t;
  }

  private static double batchRate(TenantHandle t, long first, int batches) {
    long start = System.nanoTime();
    long id = first;
    for (int b = 0; b < batches; b++) {
      List<Object[]> rows = new ArrayList<>(1000);
      for (int i = 0; i < 1000; i++, id++) {
        rows.add(new Object[] {id, "patient-" + id, (int) (id % 100), 7 * id});
      }
      t.executeBatch("INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)", rows);
    }
    return batches * 1000 / ((System.nanoTime() - start) / 1e9);
  }

  private static double singleRate(TenantHandle t, long first, int count) {
    long start = System.nanoTime();
    for (long id = first; id < first + count; id++) {
      t.execute(
          "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)",
          id,
          "patient-" + id,
          (int) (id % 100),
          7 * id);
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
