package io.veritydb.kernel;

import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The state machine: {@code (view, tenant, position, command) -> (writes, reply)}. Pure and
 * deterministic: it reads only {@code view} (the state after the previous position), touches no
 * clock, file, thread or randomness, and iterates only ordered collections. A rejected command
 * writes nothing; the runtime still applies the empty batch so the position advances.
 */
public final class Kernel {
  /** The most rows one INSERT, UPDATE or DELETE may touch. */
  public static final int MAX_ROWS_PER_COMMAND = CommandCodec.MAX_ROWS;

  /**
   * The longest store key the kernel writes (a row's primary key, or an index entry: index columns
   * plus primary key, with the keyspace prefix). Must not exceed the paged store's limit (1024).
   */
  public static final int MAX_KEY_BYTES = 1024;

  /**
   * Decoded table definitions by descriptor bytes (replaying a million single-row INSERTs decodes
   * the table once, not a million times); never stale, see {@link TableDefCache}.
   */
  private final TableDefCache tables = new TableDefCache(TableDefCache.DEFAULT_SIZE);

  public Kernel() {}

  /** Applies {@code command} for {@code tenant} at {@code position} over {@code view}. */
  public Outcome apply(StoreReader view, TenantId tenant, LogPosition position, Command command) {
    return apply(view, tenant, position, command, null);
  }

  /**
   * The table definition an INSERT, UPDATE or DELETE looked up last, for a caller that applies
   * commands one after another, in log order, to one store whose catalog only the kernel changes
   * (replay at open): while the memo holds the table, the next command on it skips the catalog read
   * (a store descent per command). The kernel forgets it at every CREATE TABLE or CREATE INDEX
   * (applied or rejected); the caller must call {@link #forget} whenever anything else may have
   * changed a catalog (a tenant's key spaces purged), and must not share a memo between stores. Not
   * thread-safe. The replies and writes are the same as without a memo.
   */
  public static final class TableMemo {
    private TenantId tenant;
    private String name;
    private TableDef table;

    public TableMemo() {}

    /** Drops the remembered definition; the next lookup reads the catalog. */
    public void forget() {
      tenant = null;
      name = null;
      table = null;
    }

    TableDef get(TenantId t, String n) {
      return table != null && tenant.equals(t) && name.equals(n) ? table : null;
    }

    void remember(TenantId t, String n, TableDef def) {
      tenant = t;
      name = n;
      table = def;
    }
  }

  /**
   * {@link #apply(StoreReader, TenantId, LogPosition, Command)} with a {@link TableMemo} (null:
   * none) kept by the caller across commands.
   */
  public Outcome apply(
      StoreReader view, TenantId tenant, LogPosition position, Command command, TableMemo memo) {
    Checks.checkNotNull(view, "view");
    Checks.checkNotNull(tenant, "tenant");
    Checks.checkNotNull(command, "command");
    Checks.checkArgument(
        position.isAfter(view.position()),
        "position",
        position.value(),
        "viewPosition",
        view.position().value());
    WriteBatch batch = new WriteBatch();
    long rows;
    try {
      if (memo != null && changesCatalog(command)) {
        memo.forget();
      }
      rows =
          switch (command.kind()) {
            case CREATE_TABLE -> {
              createTable(view, tenant, (Command.CreateTable) command, batch);
              yield 0;
            }
            case CREATE_INDEX -> {
              Command.CreateIndex c = (Command.CreateIndex) command;
              checkName("index", c.name());
              createIndex(view, tenant, table(view, tenant, c.table()), c, batch);
              yield 0;
            }
            case INSERT -> {
              Command.Insert c = (Command.Insert) command;
              yield RowWriter.insert(view, tenant, table(view, tenant, c.table(), memo), c, batch);
            }
            case UPDATE -> {
              Command.Update c = (Command.Update) command;
              yield RowWriter.update(view, tenant, table(view, tenant, c.table(), memo), c, batch);
            }
            case DELETE -> {
              Command.Delete c = (Command.Delete) command;
              yield RowWriter.delete(view, tenant, table(view, tenant, c.table(), memo), c, batch);
            }
            case NOOP -> 0;
          };
    } catch (ConstraintViolationException e) {
      return new Outcome(
          new WriteBatch(), new Reply.Rejected(Reply.Reason.CONSTRAINT, e.getMessage()));
    } catch (BadRequestException e) {
      return new Outcome(
          new WriteBatch(), new Reply.Rejected(Reply.Reason.BAD_REQUEST, e.getMessage()));
    }
    return new Outcome(batch, new Reply.Applied(rows));
  }

  /**
   * Whether applying {@code command} may change the tenant's catalog (its tables and their
   * definitions) when it is applied: for a runtime that tracks a catalog version per tenant (see
   * {@code Prepared.executeAtCatalogVersion} in verity-query). Every DDL kind answers true.
   */
  public static boolean changesCatalog(Command command) {
    return switch (command.kind()) {
      case CREATE_TABLE, CREATE_INDEX -> true;
      case INSERT, UPDATE, DELETE, NOOP -> false;
    };
  }

  private TableDef table(StoreReader view, TenantId tenant, String name) {
    return tables.require(view, view.position(), tenant, name);
  }

  private TableDef table(StoreReader view, TenantId tenant, String name, TableMemo memo) {
    if (memo == null) {
      return table(view, tenant, name);
    }
    TableDef known = memo.get(tenant, name);
    if (known != null) {
      return known;
    }
    TableDef found = table(view, tenant, name);
    memo.remember(tenant, name, found);
    return found;
  }

  static void checkName(String kind, String name) {
    if (name.isEmpty() || name.length() > 128 || name.startsWith("#")) {
      throw new BadRequestException("invalid " + kind + " name '" + name + "'");
    }
  }

  private static void createTable(
      StoreReader view, TenantId tenant, Command.CreateTable c, WriteBatch batch) {
    checkName("table", c.name());
    if (Catalog.find(view, tenant, c.name()) != null) {
      throw new BadRequestException("table " + c.name() + " already exists");
    }
    if (c.columns().isEmpty() || c.columns().size() > TableDef.MAX_COLUMNS) {
      throw new BadRequestException(
          "table " + c.name() + " needs 1 to " + TableDef.MAX_COLUMNS + " columns");
    }
    TreeSet<String> seen = new TreeSet<>();
    for (ColumnDef col : c.columns()) {
      checkName("column", col.name());
      if (!seen.add(col.name())) {
        throw new BadRequestException(
            "column " + col.name() + " is declared twice in table " + c.name());
      }
    }
    if (c.primaryKey().isEmpty()) {
      throw new BadRequestException(
          "table " + c.name() + " needs a PRIMARY KEY (every row is found by its key)");
    }
    int[] pk = new int[c.primaryKey().size()];
    TreeSet<String> pkSeen = new TreeSet<>();
    List<ColumnDef> cols = new ArrayList<>(c.columns());
    for (int i = 0; i < pk.length; i++) {
      String name = c.primaryKey().get(i);
      int ord = -1;
      for (int j = 0; j < cols.size(); j++) {
        if (cols.get(j).name().equals(name)) {
          ord = j;
        }
      }
      if (ord < 0) {
        throw new BadRequestException(
            "primary key column " + name + " is not a column of table " + c.name());
      }
      if (!pkSeen.add(name)) {
        throw new BadRequestException("primary key column " + name + " is listed twice");
      }
      pk[i] = ord;
      ColumnDef col = cols.get(ord);
      cols.set(ord, new ColumnDef(col.name(), col.type(), true));
    }
    long id = Catalog.nextTableId(view, tenant);
    TableDef table = new TableDef(id, c.name(), cols, pk, List.of(), 1);
    batch.put(Keyspace.tableEntry(tenant, c.name()), Catalog.encode(table));
    batch.put(Keyspace.nextTableIdEntry(tenant), Catalog.encodeNextTableId(id + 1));
  }

  private static void createIndex(
      StoreReader view, TenantId tenant, TableDef table, Command.CreateIndex c, WriteBatch batch) {
    String owner = Catalog.indexOwner(view, tenant, c.name());
    if (owner != null) {
      throw new BadRequestException(
          "index " + c.name() + " already exists (on table " + owner + ")");
    }
    if (table.indexes().size() >= TableDef.MAX_INDEXES) {
      throw new BadRequestException(
          "table " + table.name() + " already has " + TableDef.MAX_INDEXES + " indexes");
    }
    if (c.columns().isEmpty()) {
      throw new BadRequestException("index " + c.name() + " needs at least one column");
    }
    List<Integer> ords = new ArrayList<>();
    for (String col : c.columns()) {
      int ord = table.requireOrdinal(col);
      if (ords.contains(ord)) {
        throw new BadRequestException("index column " + col + " is listed twice");
      }
      ords.add(ord);
    }
    IndexDef index = new IndexDef(c.name(), table.nextIndexId(), ords);
    TableDef updated = table.withIndex(index);
    batch.put(Keyspace.tableEntry(tenant, table.name()), Catalog.encode(updated));
    batch.put(
        Keyspace.indexNameEntry(tenant, c.name()), table.name().getBytes(StandardCharsets.UTF_8));
    // Only the index's and the primary key's columns are decoded: the entry is made of them.
    boolean[] needed = new boolean[table.columnCount()];
    for (int ord : ords) {
      needed[ord] = true;
    }
    for (int i = 0; i < table.primaryKeyLength(); i++) {
      needed[table.primaryKeyOrdinal(i)] = true;
    }
    try (StoreCursor rows =
        view.scan(Keyspace.tableRows(tenant, table.id()), false, Integer.MAX_VALUE)) {
      while (rows.next()) {
        Object[] values = RowCodec.decode(table, rows.value(), needed);
        batch.put(RowWriter.indexKey(tenant, table, index, values), Keyspace.INDEX_VALUE);
      }
    }
  }
}
