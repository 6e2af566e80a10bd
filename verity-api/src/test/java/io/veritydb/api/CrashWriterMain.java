package io.veritydb.api;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.TenantId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link CrashRecoveryTest}: several threads write to the database in a loop
 * and print a line for every write that {@code execute} acknowledged, until the parent kills the
 * process. Lines: {@code row <id>} for a single insert, {@code batch <first-id> <count>} for an
 * executeBatch, {@code update <id> <value>} for an update. Rows of a batch carry minus the batch's
 * first id in {@code v}, so that the parent can check every batch is whole.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    PrintStream out = System.out;
    Verity db = Verity.builder(dir).checkpointEvery(200).open();
    TenantHandle t = db.tenant(TenantId.of(1));
    try {
      t.execute("CREATE TABLE acks (id BIGINT PRIMARY KEY, writer INT, v BIGINT)");
    } catch (BadRequestException e) {
      // Created by an earlier round.
    }
    synchronized (out) {
      out.println("ready");
      out.flush();
    }
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int writer = w;
      Thread thread = new Thread(() -> write(t, out, round, writer), "writer-" + w);
      thread.start();
      writers.add(thread);
    }
    for (Thread thread : writers) {
      thread.join();
    }
  }

  private static void write(TenantHandle t, PrintStream out, int round, int writer) {
    long base = ((long) round * 100 + writer) * 1_000_000L;
    long next = base;
    for (long op = 0; ; op++) {
      if (op % 7 == 3) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          rows.add(new Object[] {next + i, writer, -next});
        }
        t.executeBatch("INSERT INTO acks (id, writer, v) VALUES (?, ?, ?)", rows);
        ack(out, "batch " + next + " 10");
        next += 10;
      } else if (op % 5 == 4 && next > base) {
        long value = op;
        t.execute("UPDATE acks SET v = ? WHERE id = ?", value, base);
        ack(out, "update " + base + " " + value);
      } else {
        t.execute("INSERT INTO acks (id, writer, v) VALUES (?, ?, ?)", next, writer, 0L);
        ack(out, "row " + next);
        next++;
      }
    }
  }

  private static void ack(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
