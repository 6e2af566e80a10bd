package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.store.MemoryStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-row INSERTs (executeBatch): a duplicate key anywhere (against the store or within the
 * command, first, middle or last row, small batches and large ones checked by one walk) rejects the
 * whole command with the message naming the first offending row, exactly as checking the rows one
 * by one in order would.
 */
class BatchInsertTest {
  static final TenantId T1 = TenantId.of(1);

  MemoryStore store;
  Kernel kernel;
  Outcome last;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    kernel = new Kernel();
    assertApplied(KernelTest.patients());
  }

  private Reply apply(Command c) {
    LogPosition next = store.appliedPosition().next();
    last = kernel.apply(store.snapshot(), T1, next, c);
    store.apply(next, last.batch());
    return last.reply();
  }

  private void assertApplied(Command c) {
    Reply r = apply(c);
    assertInstanceOf(Reply.Applied.class, r, r::toString);
  }

  private void assertRejected(Command c, Reply.Reason reason, String message) {
    Reply r = apply(c);
    Reply.Rejected rej = assertInstanceOf(Reply.Rejected.class, r, r::toString);
    assertEquals(reason, rej.reason(), rej.message());
    assertEquals(message, rej.message());
    assertTrue(last.batch().isEmpty(), "a rejected batch writes nothing");
  }

  private static Command.Insert batch(long... ids) {
    List<Object[]> rows = new ArrayList<>();
    for (long id : ids) {
      rows.add(new Object[] {id, "p" + id, (int) (id % 7)});
    }
    return new Command.Insert("patients", List.of("id", "name", "ward"), rows);
  }

  private static long[] range(long from, int count) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = from + i;
    }
    return ids;
  }

  private static String dup(long id) {
    return "duplicate primary key (id)=(" + id + ") in table patients";
  }

  private long count() {
    long n = 0;
    try (var c = store.scan(Keyspace.tableRows(T1, 1), false, Integer.MAX_VALUE)) {
      while (c.next()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void shouldRejectABatchWhoseFirstMiddleOrLastRowExists() {
    assertApplied(batch(range(1000, 1000)));
    for (int rows : new int[] {3, BatchKeys.SORTED_FROM_ROWS, 1000}) {
      long[] first = range(5000, rows);
      first[0] = 1000;
      assertRejected(batch(first), Reply.Reason.CONSTRAINT, dup(1000));
      long[] middle = range(5000, rows);
      middle[rows / 2] = 1500;
      assertRejected(batch(middle), Reply.Reason.CONSTRAINT, dup(1500));
      long[] lastRow = range(5000, rows);
      lastRow[rows - 1] = 1999;
      assertRejected(batch(lastRow), Reply.Reason.CONSTRAINT, dup(1999));
    }
    assertEquals(1000, count());
  }

  @Test
  void shouldRejectABatchRepeatingAKeyAtTheFirstMiddleOrLastRow() {
    for (int rows : new int[] {3, BatchKeys.SORTED_FROM_ROWS, 1000}) {
      long[] ids = range(1, rows);
      ids[rows - 1] = 1; // the last row repeats the first
      assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(1));
      ids = range(1, rows);
      ids[rows / 2] = ids[rows / 2 - 1]; // a middle row repeats the one before it
      assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(ids[rows / 2]));
      ids = range(1, rows);
      ids[1] = 1; // the second row repeats the first
      assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(1));
    }
    assertEquals(0, count());
  }

  @Test
  void shouldNameTheEarliestDuplicateRowWhenThereAreSeveral() {
    assertApplied(batch(900));
    // row 10 repeats row 2's key, row 20 exists, row 30 repeats row 25's: row 10 is named
    long[] ids = range(1, 40);
    ids[9] = 2;
    ids[19] = 900;
    ids[29] = 25;
    assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(2));
    // sorted, the existing key comes first, but its row (6) is later than the repeat (row 4)
    ids = range(1000, 40);
    ids[5] = 900;
    ids[3] = ids[1];
    assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(1001));
    // a key repeated by a later row: only the later row is a duplicate
    ids = range(1000, 40);
    ids[3] = 1039;
    ids[20] = 900;
    assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(900));
  }

  @Test
  void shouldReportAnEarlierDuplicateBeforeALaterBadRowAndAnEarlierBadRowFirst() {
    assertApplied(batch(7));
    long[] ids = range(1, 40);
    ids[4] = 7;
    Command.Insert withNull = batch(ids);
    withNull.rows().get(20)[1] = null; // NULL name in row 21
    assertRejected(withNull, Reply.Reason.CONSTRAINT, dup(7));
    Command.Insert nullFirst = batch(ids);
    nullFirst.rows().get(2)[1] = null; // NULL name in row 3, before the duplicate in row 5
    assertRejected(
        nullFirst, Reply.Reason.CONSTRAINT, "NULL in NOT NULL column name of table patients");
    Command.Insert wrongType = batch(ids);
    wrongType.rows().get(1)[2] = "three";
    assertRejected(
        wrongType,
        Reply.Reason.BAD_REQUEST,
        "type mismatch: column ward of table patients expects INT, got string 'three'");
  }

  @Test
  void shouldFindADuplicateInASparseBatchOverADenseTable() {
    // 3000 rows; a batch of 20 keys spread over all of them: the walk stops early and the keys
    // after it are looked up, the last of which exists
    long[] all = range(0, 3000);
    for (int from = 0; from < all.length; from += 1000) {
      long[] part = new long[1000];
      for (int i = 0; i < 1000; i++) {
        part[i] = all[from + i] * 2; // even ids only
      }
      assertApplied(batch(part));
    }
    long[] ids = new long[20];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i * 300L + 1; // odd: absent
    }
    assertApplied(batch(ids));
    ids = new long[20];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i * 300L + 3;
    }
    ids[19] = 5998; // exists, near the end of the table
    assertRejected(batch(ids), Reply.Reason.CONSTRAINT, dup(5998));
  }

  /** The walk and the one-by-one lookups agree on random batches over random tables. */
  @Property(tries = 200)
  void walkAgreesWithLookups(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int rows) {
    SplittableRandom r = new SplittableRandom(seed);
    MemoryStore s = new MemoryStore();
    TableDef table =
        new TableDef(
            1,
            "t",
            List.of(new ColumnDef("id", io.veritydb.types.SqlType.BIGINT, true)),
            new int[] {0},
            List.of(),
            1);
    int range = 1 + r.nextInt(2000);
    WriteBatch existing = new WriteBatch();
    int stored = r.nextInt(1500);
    for (int i = 0; i < stored; i++) {
      existing.put(
          RowWriter.rowKey(T1, table, new Object[] {(long) r.nextInt(range)}), new byte[1]);
    }
    s.apply(LogPosition.of(1), existing);
    byte[][] keys = new byte[rows][];
    for (int i = 0; i < rows; i++) {
      keys[i] = RowWriter.rowKey(T1, table, new Object[] {(long) r.nextInt(range * 2)});
    }
    assertEquals(
        BatchKeys.byLookups(s, keys, rows),
        BatchKeys.byWalk(s, keys, rows),
        "seed=" + seed + " rows=" + rows);
  }
}
