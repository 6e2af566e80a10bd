package io.veritydb.kernel;

import io.veritydb.store.KeyRange;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Checks the invariants between a tenant's rows and its indexes as of a position: every row is
 * stored under the key its primary key values encode to, every row has exactly one entry in every
 * index of its table, and no index entry is left without its row. For verification tools and tests;
 * it reads every row, so it costs a full scan of the tenant.
 */
public final class Consistency {
  private Consistency() {}

  /** The most problems reported before stopping. */
  public static final int MAX_PROBLEMS = 100;

  /** The problems found, in table order; empty when consistent. */
  public static List<String> check(StoreReader reader, LogPosition at, TenantId tenant) {
    List<String> problems = new ArrayList<>();
    for (TableDef table : Catalog.tables(reader, at, tenant)) {
      List<NavigableSet<byte[]>> expected = new ArrayList<>();
      for (int i = 0; i < table.indexes().size(); i++) {
        expected.add(new TreeSet<>(Arrays::compareUnsigned));
      }
      try (StoreCursor rows =
          reader.scanAt(Keyspace.tableRows(tenant, table.id()), at, false, Integer.MAX_VALUE)) {
        while (rows.next() && problems.size() < MAX_PROBLEMS) {
          Object[] values = RowCodec.decode(table, rows.value());
          if (!Arrays.equals(rows.key(), RowWriter.rowKey(tenant, table, values))) {
            problems.add(
                "table " + table.name() + ": a row is stored under a key its values do not encode");
          }
          for (int i = 0; i < table.indexes().size(); i++) {
            expected.get(i).add(RowWriter.indexKey(tenant, table, table.indexes().get(i), values));
          }
        }
      }
      for (int i = 0; i < table.indexes().size(); i++) {
        IndexDef index = table.indexes().get(i);
        NavigableSet<byte[]> want = expected.get(i);
        int found = 0;
        KeyRange range =
            KeyRange.prefix(Keyspace.indexKey(tenant, table.id(), index.id(), 0).toByteArray());
        try (StoreCursor entries = reader.scanAt(range, at, false, Integer.MAX_VALUE)) {
          while (entries.next() && problems.size() < MAX_PROBLEMS) {
            if (want.contains(entries.key())) {
              found++;
            } else {
              problems.add("index " + index.name() + ": an entry has no matching row");
            }
          }
        }
        if (found < want.size() && problems.size() < MAX_PROBLEMS) {
          problems.add(
              "index "
                  + index.name()
                  + ": "
                  + (want.size() - found)
                  + " rows of table "
                  + table.name()
                  + " have no entry");
        }
      }
    }
    return problems;
  }
}
