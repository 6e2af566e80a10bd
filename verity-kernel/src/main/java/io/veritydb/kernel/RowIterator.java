package io.veritydb.kernel;

import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.util.Arrays;

/**
 * Iterates the rows an {@link AccessPath} fetches, as of one log position, in the path's key order
 * (or its reverse), keeping only rows the predicate holds TRUE for. Index paths look up each row by
 * the primary key at the end of the index entry.
 */
public final class RowIterator implements AutoCloseable {
  private final StoreReader reader;
  private final LogPosition at;
  private final AccessPath path;
  private final CompiledExpr filter;
  private final boolean[] needed;

  /**
   * When not null, rows are decoded in two steps: these columns (the filter's) first, then {@link
   * #rest} only for rows the filter keeps, so a scan never builds the strings of rows it rejects.
   */
  private final boolean[] filterColumns;

  private final boolean[] rest;
  private final boolean descending;
  private final java.util.List<io.veritydb.store.KeyRange> ranges;
  private int nextRange;
  private StoreCursor cursor;
  private boolean keepKeys;
  private boolean pointDone;
  private Object[] row;
  private byte[] rowKey;

  private RowIterator(
      StoreReader reader,
      LogPosition at,
      AccessPath path,
      CompiledExpr filter,
      boolean descending,
      boolean[] needed) {
    this.reader = reader;
    this.at = at;
    this.path = path;
    this.filter = filter;
    this.needed = needed;
    this.descending = descending;
    this.ranges = path.ranges();
    boolean[] f = null;
    boolean[] r = null;
    if (path.kind() != AccessPath.Kind.PK_POINT) {
      int n = path.table().columnCount();
      boolean[] fc = new boolean[n];
      boolean[] rc = new boolean[n];
      boolean[] keyed = new boolean[n];
      for (int c : path.order()) {
        keyed[c] = true;
      }
      boolean anyUnkeyedFilter = false;
      boolean anyRest = false;
      for (int i = 0; i < n; i++) {
        fc[i] = filter.usesColumn(i);
        rc[i] = !fc[i] && (needed == null || needed[i]);
        anyUnkeyedFilter |= fc[i] && !keyed[i];
        anyRest |= rc[i];
      }
      // Only when the filter reads a column the path's key does not bound: then it may reject many
      // rows; a filter on key columns mostly holds for what the path fetches (one decode is less).
      if (anyUnkeyedFilter && anyRest) {
        f = fc;
        r = rc;
      }
    }
    this.filterColumns = f;
    this.rest = r;
  }

  /** Opens the next non-empty range's cursor; false when there is none left. */
  private boolean advanceRange() {
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
    while (nextRange < ranges.size()) {
      int i = descending ? ranges.size() - 1 - nextRange : nextRange;
      nextRange++;
      io.veritydb.store.KeyRange range = ranges.get(i);
      // Contradictory bounds (x > 5 AND x < 2, BETWEEN 3 AND 1) read nothing.
      if (!isEmpty(range)) {
        cursor = reader.scanAt(range, at, descending, Integer.MAX_VALUE);
        return true;
      }
    }
    return false;
  }

  /**
   * Opens the path. {@code needed} says which columns to decode (null for all); it must include
   * every column the filter reads, which is added here.
   */
  public static RowIterator open(
      StoreReader reader,
      LogPosition at,
      AccessPath path,
      CompiledExpr filter,
      boolean descending,
      boolean[] needed) {
    boolean[] want = withFilterColumns(needed, filter);
    return new RowIterator(reader, at, path, filter, descending, want);
  }

  /**
   * The row of a {@link AccessPath.Kind#PK_POINT} path if it exists at {@code at} and the filter
   * holds TRUE for it, else null: what iterating the path gives, without an iterator. {@code
   * needed} as for {@link #open}.
   */
  public static Object[] point(
      StoreReader reader, LogPosition at, AccessPath path, CompiledExpr filter, boolean[] needed) {
    Checks.checkArgument(path.kind() == AccessPath.Kind.PK_POINT, "a point path is needed");
    byte[] value = reader.getAt(path.pointKey(), at);
    if (value == null) {
      return null;
    }
    boolean[] want = withFilterColumns(needed, filter);
    Object[] row = RowCodec.decode(path.table(), value, want);
    return filter.matches(row) ? row : null;
  }

  /**
   * {@code needed} with every column {@code filter} reads added (a copy when any is added; null,
   * all columns, stays null).
   */
  private static boolean[] withFilterColumns(boolean[] needed, CompiledExpr filter) {
    boolean[] want = needed;
    if (needed != null) {
      for (int i = 0; i < needed.length; i++) {
        if (!needed[i] && filter.usesColumn(i)) {
          if (want == needed) {
            want = needed.clone();
          }
          want[i] = true;
        }
      }
    }
    return want;
  }

  private static boolean isEmpty(io.veritydb.store.KeyRange range) {
    byte[] low = range.low();
    byte[] high = range.high();
    return low != null && high != null && Arrays.compareUnsigned(low, high) >= 0;
  }

  /** Moves to the next matching row; false at the end. */
  public boolean next() {
    TableDef table = path.table();
    while (true) {
      byte[] key;
      byte[] value;
      if (path.kind() == AccessPath.Kind.PK_POINT) {
        if (pointDone) {
          return false;
        }
        pointDone = true;
        key = path.pointKey();
        value = reader.getAt(key, at);
        if (value == null) {
          return false;
        }
      } else {
        if (cursor == null || !cursor.next()) {
          if (!advanceRange()) {
            return false;
          }
          continue;
        }
        if (path.index() != null) {
          key = cursor.key();
          key = rowKeyOf(table, path.index(), key);
          value = reader.getAt(key, at);
          if (value == null) {
            throw new CorruptionException(
                "index " + path.index().name() + " names a row missing from table " + table.name());
          }
        } else {
          key = keepKeys ? cursor.key() : null;
          value = cursor.value();
        }
      }
      if (filterColumns == null) {
        Object[] decoded = RowCodec.decode(table, value, needed);
        if (filter.matches(decoded)) {
          row = decoded;
          rowKey = key;
          return true;
        }
      } else {
        Object[] decoded = RowCodec.decode(table, value, filterColumns);
        if (filter.matches(decoded)) {
          RowCodec.decodeInto(table, value, rest, decoded);
          row = decoded;
          rowKey = key;
          return true;
        }
      }
    }
  }

  /** The current row's values by column ordinal (undecoded columns are null). */
  public Object[] row() {
    return row;
  }

  /** Keeps each row's store key for {@link #rowKey()} (the kernel's writes need it). */
  RowIterator keepingKeys() {
    keepKeys = true;
    return this;
  }

  /** The current row's store key (only after {@link #keepingKeys()}). */
  byte[] rowKey() {
    return rowKey;
  }

  private static byte[] rowKeyOf(TableDef table, IndexDef index, byte[] indexKey) {
    int p = Keyspace.indexPrefixLength();
    for (int col : index.columns()) {
      p = KeyCodec.skip(indexKey, p, table.column(col).type());
    }
    byte[] prefix = Arrays.copyOf(indexKey, Keyspace.rowPrefixLength());
    prefix[0] = (byte) Keyspace.ROWS;
    // tenant and table ids sit at the same offsets in both key kinds
    byte[] out = Arrays.copyOf(prefix, Keyspace.rowPrefixLength() + indexKey.length - p);
    System.arraycopy(indexKey, p, out, Keyspace.rowPrefixLength(), indexKey.length - p);
    return out;
  }

  @Override
  public void close() {
    if (cursor != null) {
      cursor.close();
    }
  }
}
