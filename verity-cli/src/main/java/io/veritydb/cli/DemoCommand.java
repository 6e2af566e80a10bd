package io.veritydb.cli;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.Row;
import io.veritydb.api.Rows;
import io.veritydb.api.TenantHandle;
import io.veritydb.api.Verity;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.TenantId;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code verity demo [DIR]}: creates a table, writes, updates and deletes rows, and prints the
 * current and past query results with their log positions. Run it again on the same directory and
 * it adds another round on top of the history already there.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Write, update and delete some rows, then read them now and as of past positions.")
final class DemoCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "verity-data",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Verity db = Verity.open(dir)) {
      out.printf(
          "Opened %s (log ends at position %d)%n", dir.toAbsolutePath(), db.lastPosition().value());
      TenantHandle clinic = db.tenant(TenantId.of(1));
      createSchema(clinic, out);
      long base = nextId(clinic);

      List<Object[]> admissions = new ArrayList<>();
      String[] names = {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"};
      for (int i = 0; i < names.length; i++) {
        admissions.add(new Object[] {base + i, names[i], 3 + (i % 2), new BigDecimal("100.00")});
      }
      ExecuteResult admitted =
          clinic.executeBatch(
              "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)", admissions);
      out.printf(
          "%nAdmitted %d patients        at position %d%n",
          admitted.rowsAffected(), admitted.position().value());

      ExecuteResult moved =
          clinic.execute(
              "UPDATE patients SET ward = ?, balance = ? WHERE id = ?",
              7,
              new BigDecimal("42.50"),
              base);
      out.printf("Moved patient %d to ward 7   at position %d%n", base, moved.position().value());

      ExecuteResult discharged = clinic.execute("DELETE FROM patients WHERE id = ?", base + 2);
      out.printf(
          "Discharged patient %d        at position %d%n", base + 2, discharged.position().value());

      print(out, "Now:", clinic.query("SELECT * FROM patients WHERE id >= ? ORDER BY id", base));
      print(
          out,
          "As of position " + admitted.position().value() + " (right after the admissions):",
          clinic.queryAt(
              admitted.position(), "SELECT * FROM patients WHERE id >= ? ORDER BY id", base));
      print(
          out,
          "Ward 7 now, through the index:",
          clinic.query("SELECT id, name FROM patients WHERE ward = ? ORDER BY id", 7));
      print(
          out,
          "The plan:",
          clinic.query("EXPLAIN SELECT id, name FROM patients WHERE ward = ?", 7));

      try {
        clinic.execute(
            "INSERT INTO patients (id, name, ward) VALUES (?, ?, ?)", base + 1, "Duplicate", 1);
      } catch (RuntimeException e) {
        out.printf("%nA duplicate key is refused: %s%n", e.getMessage());
      }
      out.printf(
          "%nThe log now ends at position %d. Run the demo again to add to this history.%n",
          db.lastPosition().value());
    }
    out.flush();
    return 0;
  }

  private static void createSchema(TenantHandle clinic, PrintWriter out) {
    try {
      ExecuteResult created =
          clinic.execute(
              "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, ward INT,"
                  + " balance DECIMAL(10,2))");
      clinic.execute("CREATE INDEX patients_ward ON patients (ward)");
      out.printf("Created table patients      at position %d%n", created.position().value());
    } catch (BadRequestException e) {
      if (!e.getMessage().contains("exists")) {
        throw e;
      }
      out.println("Table patients exists already: adding to its history.");
    }
  }

  private static long nextId(TenantHandle clinic) {
    Rows last = clinic.query("SELECT id FROM patients ORDER BY id DESC LIMIT 1");
    return last.isEmpty() ? 1 : last.get(0).getLong("id") + 1;
  }

  private static void print(PrintWriter out, String title, Rows rows) {
    out.printf("%n%s%n", title);
    out.printf("  %s%n", String.join(" | ", rows.columnNames()));
    for (Row row : rows) {
      List<String> cells = new ArrayList<>();
      for (Object value : row.values()) {
        cells.add(String.valueOf(value));
      }
      out.printf("  %s%n", String.join(" | ", cells));
    }
    if (rows.isEmpty()) {
      out.println("  (no rows)");
    }
  }
}
