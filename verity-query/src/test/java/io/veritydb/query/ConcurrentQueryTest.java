package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.store.StoreSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine and its prepared statements are shared by every caller thread of the runtime. */
class ConcurrentQueryTest {

  @Test
  void shouldServeManyThreadsFromOneEngine() throws Exception {
    TestDb db = new TestDb(8);
    db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, ward INT, name TEXT)");
    db.exec("CREATE INDEX t_ward ON t (ward)");
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 500; i++) {
      rows.add(new Object[] {i, (int) (i % 10), "n" + i});
    }
    db.batch("INSERT INTO t (id, ward, name) VALUES (?, ?, ?)", rows);
    String[] sqls = {
      "SELECT id FROM t WHERE ward = ?",
      "SELECT id FROM t WHERE ward = ? ORDER BY name DESC LIMIT 3",
      "SELECT name FROM t WHERE id BETWEEN ? AND ?",
      "EXPLAIN SELECT id FROM t WHERE ward = ?",
    };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (StoreSnapshot snap = db.store.snapshot()) {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        futures.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  for (int i = 0; i < 300; i++) {
                    int k = (i + seed) % sqls.length;
                    Prepared p = db.engine.prepare(sqls[k] + (i % 3 == 0 ? " " : ""));
                    int ward = (i * 7 + seed) % 10;
                    QueryResult r =
                        k == 2
                            ? p.execute(snap, snap.position(), db.tenant, (long) ward, ward + 9L)
                            : p.execute(snap, snap.position(), db.tenant, ward);
                    int expected =
                        switch (k) {
                          case 0 -> 50;
                          case 1 -> 3;
                          case 2 -> 10;
                          default -> r.size();
                        };
                    assertEquals(expected, r.size(), sqls[k]);
                    checked++;
                  }
                  return checked;
                }));
      }
      int total = 0;
      for (Future<Integer> f : futures) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(1200, total);
    } finally {
      pool.shutdownNow();
    }
  }
}
