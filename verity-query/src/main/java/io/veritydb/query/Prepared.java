package io.veritydb.query;

import io.veritydb.kernel.Catalog;
import io.veritydb.kernel.ColumnDef;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.CompiledExpr;
import io.veritydb.kernel.Expr;
import io.veritydb.kernel.TableDef;
import io.veritydb.kernel.TableDefCache;
import io.veritydb.kernel.Values;
import io.veritydb.store.StoreReader;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed statement, immutable and shareable between threads. Writes are turned into kernel {@link
 * Command}s by {@link #bind} / {@link #bindBatch} (checked against the current catalog so that bad
 * requests never reach the log; the kernel re-checks authoritatively). Queries run with {@link
 * #execute} against a store reader at a position.
 */
public final class Prepared {
  /** What kind of statement this is. */
  public enum Kind {
    CREATE_TABLE,
    CREATE_INDEX,
    INSERT,
    UPDATE,
    DELETE,
    SELECT,
    EXPLAIN
  }

  private static final Object[] NONE = new Object[0];

  private final String sql;
  private final Stmt stmt;
  private final int parameterCount;
  private final Kind kind;

  /** This statement's SELECT plans. */
  private final PlanCache plans = new PlanCache();

  /** The most plan templates one statement keeps (of each kind, see {@link PlanCache}). */
  static final int MAX_PLANS = PlanCache.MAX_PLANS;

  /** For {@link #executeAtCatalogVersion}: no version known, read the catalog. */
  public static final long NO_CATALOG_VERSION = -1;

  /** Decoded table definitions, shared by the engine's statements. */
  private final TableDefCache tables;

  Prepared(String sql, Stmt stmt, int parameterCount, TableDefCache tables) {
    this.tables = tables;
    this.sql = sql;
    this.stmt = stmt;
    this.parameterCount = parameterCount;
    this.kind = kindOf(stmt);
  }

  private static Kind kindOf(Stmt stmt) {
    if (stmt instanceof Stmt.Ddl d) {
      return d.command() instanceof Command.CreateTable ? Kind.CREATE_TABLE : Kind.CREATE_INDEX;
    } else if (stmt instanceof Stmt.Insert) {
      return Kind.INSERT;
    } else if (stmt instanceof Stmt.Update) {
      return Kind.UPDATE;
    } else if (stmt instanceof Stmt.Delete) {
      return Kind.DELETE;
    } else if (stmt instanceof Stmt.Select) {
      return Kind.SELECT;
    }
    return Kind.EXPLAIN;
  }

  public String sql() {
    return sql;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether this is a SELECT or EXPLAIN (run with {@link #execute}), not a write. */
  public boolean isQuery() {
    return kind == Kind.SELECT || kind == Kind.EXPLAIN;
  }

  /**
   * The table this statement reads or writes (lower case), or null for none. The runtime uses it to
   * record reads of tables whose reads are audited.
   */
  public String table() {
    if (stmt instanceof Stmt.Select s) {
      return s.table();
    } else if (stmt instanceof Stmt.Explain e) {
      return e.select().table();
    } else if (stmt instanceof Stmt.Insert i) {
      return i.table();
    } else if (stmt instanceof Stmt.Update u) {
      return u.table();
    } else if (stmt instanceof Stmt.Delete d) {
      return d.table();
    } else if (stmt instanceof Stmt.Ddl d && d.command() instanceof Command.CreateTable c) {
      return c.name();
    } else if (stmt instanceof Stmt.Ddl d && d.command() instanceof Command.CreateIndex c) {
      return c.table();
    }
    return null;
  }

  /** The number of {@code ?} parameters. */
  public int parameterCount() {
    return parameterCount;
  }

  private void checkCount(Object[] params) {
    int n = params == null ? 0 : params.length;
    if (n != parameterCount) {
      throw new BadRequestException(
          "wrong number of parameters: the statement has "
              + parameterCount
              + " ?, "
              + n
              + " values were given");
    }
  }

  private void checkWrite() {
    if (isQuery()) {
      throw new BadRequestException(
          kind + " is a query: use query(...), not execute(...): " + sql.trim());
    }
  }

  /**
   * The kernel command for this write with {@code params} bound, validated against the catalog as
   * {@code view} sees it now (unknown table or column, type mismatch). A value of the right type
   * that its column cannot hold (NULL in NOT NULL, too long, out of range, too precise) stays in
   * the command: the kernel rejects it when applying it, so the rejection is logged and audited.
   */
  public Command bind(StoreReader view, TenantId tenant, Object... params) {
    checkWrite();
    Object[] ps = params == null ? NONE : params;
    checkCount(ps);
    if (stmt instanceof Stmt.Ddl d) {
      checkDdl(view, tenant, d.command());
      return d.command();
    } else if (stmt instanceof Stmt.Insert ins) {
      TableDef table = tables.require(view, view.position(), tenant, ins.table());
      List<String> cols = insertColumns(table, ins);
      List<Object[]> rows = new ArrayList<>(ins.rows().size());
      addRows(table, columnDefs(table, cols), ins, ps, rows);
      return new Command.Insert(table.name(), cols, rows);
    } else if (stmt instanceof Stmt.Update up) {
      TableDef table = tables.require(view, view.position(), tenant, up.table());
      List<Command.Assignment> as = new ArrayList<>();
      for (Command.Assignment a : up.assignments()) {
        ColumnDef col = table.column(table.requireOrdinal(a.column()));
        Expr v = a.value();
        if (v instanceof Expr.Param p) {
          v = new Expr.Literal(bindValue(table, col, ps[p.index()], p.index()));
        } else if (v instanceof Expr.Literal l) {
          v = new Expr.Literal(Values.forCommand(l.value(), col, table.name()));
        } else {
          v = CompiledExpr.bind(table, v, ps);
          CompiledExpr.value(
              table, new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column(col.name()), v), NONE);
        }
        as.add(new Command.Assignment(col.name(), v));
      }
      return new Command.Update(table.name(), as, where(table, up.where(), ps));
    } else if (stmt instanceof Stmt.Delete del) {
      TableDef table = tables.require(view, view.position(), tenant, del.table());
      return new Command.Delete(table.name(), where(table, del.where(), ps));
    }
    throw new IllegalStateException("not a write: " + kind);
  }

  /**
   * One INSERT command with every parameter row of {@code rows} (executeBatch): one log entry for
   * the whole batch. Only INSERT statements can be batched.
   */
  public Command bindBatch(StoreReader view, TenantId tenant, List<Object[]> rows) {
    checkWrite();
    Checks.checkNotNull(rows, "rows");
    if (!(stmt instanceof Stmt.Insert ins)) {
      throw new BadRequestException("executeBatch supports INSERT only, not " + kind);
    }
    if (rows.isEmpty()) {
      throw new BadRequestException("executeBatch needs at least one row of parameters");
    }
    TableDef table = tables.require(view, view.position(), tenant, ins.table());
    List<String> cols = insertColumns(table, ins);
    List<Object[]> out = new ArrayList<>(rows.size() * ins.rows().size());
    ColumnDef[] defs = columnDefs(table, cols);
    int n = 0;
    for (Object[] ps : rows) {
      n++;
      try {
        checkCount(ps == null ? NONE : ps);
      } catch (BadRequestException e) {
        throw new BadRequestException("batch row " + n + ": " + e.getMessage(), e);
      }
      try {
        addRows(table, defs, ins, ps == null ? NONE : ps, out);
      } catch (BadRequestException e) {
        throw new BadRequestException("batch row " + n + ": " + e.getMessage(), e);
      }
    }
    return new Command.Insert(table.name(), cols, out);
  }

  /** Runs this SELECT or EXPLAIN against {@code snapshot} as of {@code at}. */
  public QueryResult execute(
      StoreReader snapshot, LogPosition at, TenantId tenant, Object... params) {
    return executeAtCatalogVersion(snapshot, at, tenant, NO_CATALOG_VERSION, params);
  }

  /** Fails unless {@code snapshot} reaches {@code at}: a query cannot read past the log's end. */
  public static void checkCommitted(StoreReader snapshot, LogPosition at) {
    if (at.isAfter(snapshot.position())) {
      throw new BadRequestException(
          "cannot query at "
              + at
              + ": the newest committed position is "
              + snapshot.position().value());
    }
  }

  /**
   * {@link #execute}, told which version of the tenant's catalog {@code at} sees, so that a cached
   * plan is found without reading the table's catalog entry (one store read less per query).
   *
   * <p>The caller guarantees that {@code catalogVersion} is a number that differs for any two
   * different catalogs of {@code tenant} this engine may be asked to read through this overload:
   * for example the position of the tenant's newest catalog change (CREATE TABLE, CREATE INDEX, and
   * anything else that changes or removes its tables, such as purging a shredded tenant) at or
   * before {@code at} in the one database this engine serves, tracked by the runtime as it applies
   * commands. A wrong version makes a query use the plan of another definition of its table. With
   * {@link #NO_CATALOG_VERSION} (or any negative value) the catalog is read, as {@link #execute}
   * does; stores the runtime makes on the side (verity_audit) must use that.
   */
  public QueryResult executeAtCatalogVersion(
      StoreReader snapshot, LogPosition at, TenantId tenant, long catalogVersion, Object[] params) {
    Object[] ps = params == null ? NONE : params;
    checkCount(ps);
    checkCommitted(snapshot, at);
    Stmt.Select s;
    if (stmt instanceof Stmt.Select select) {
      s = select;
    } else if (stmt instanceof Stmt.Explain e) {
      s = e.select();
    } else {
      throw new BadRequestException(kind + " is not a query: use execute(...): " + sql.trim());
    }
    SelectExecutor.Template t =
        catalogVersion < 0
            ? plans.template(s, snapshot, at, tenant, ps)
            : plans.template(s, snapshot, at, tenant, catalogVersion, ps);
    return stmt instanceof Stmt.Explain
        ? SelectExecutor.explain(t, s, tenant, ps)
        : SelectExecutor.execute(t, s, snapshot, at, tenant, ps);
  }

  /** How many plan templates this statement holds (at most {@link #MAX_PLANS}). */
  int cachedPlans() {
    return plans.size();
  }

  private static void checkDdl(StoreReader view, TenantId tenant, Command c) {
    if (c instanceof Command.CreateTable ct) {
      if (Catalog.find(view, tenant, ct.name()) != null) {
        throw new BadRequestException("table " + ct.name() + " already exists");
      }
    } else if (c instanceof Command.CreateIndex ci) {
      TableDef table = Catalog.require(view, view.position(), tenant, ci.table());
      for (String col : ci.columns()) {
        table.requireOrdinal(col);
      }
    }
  }

  private static List<String> insertColumns(TableDef table, Stmt.Insert ins) {
    if (ins.columns().isEmpty()) {
      if (!ins.rows().isEmpty() && ins.rows().get(0).size() != table.columnCount()) {
        throw new BadRequestException(
            "INSERT without column names needs "
                + table.columnCount()
                + " values per row for table "
                + table.name()
                + ", got "
                + ins.rows().get(0).size());
      }
      return table.columnNames();
    }
    for (String c : ins.columns()) {
      table.requireOrdinal(c);
    }
    return ins.columns();
  }

  /** The definitions of the INSERT's columns, in its order. */
  private static ColumnDef[] columnDefs(TableDef table, List<String> cols) {
    ColumnDef[] defs = new ColumnDef[cols.size()];
    for (int i = 0; i < defs.length; i++) {
      defs[i] = table.column(table.requireOrdinal(cols.get(i)));
    }
    return defs;
  }

  private static void addRows(
      TableDef table, ColumnDef[] cols, Stmt.Insert ins, Object[] ps, List<Object[]> out) {
    for (List<Expr> template : ins.rows()) {
      Object[] row = new Object[cols.length];
      for (int i = 0; i < row.length; i++) {
        ColumnDef col = cols[i];
        Expr e = template.get(i);
        row[i] =
            e instanceof Expr.Param p
                ? bindValue(table, col, ps[p.index()], p.index())
                : Values.forCommand(((Expr.Literal) e).value(), col, table.name());
      }
      out.add(row);
    }
  }

  private static Object bindValue(TableDef table, ColumnDef col, Object v, int index) {
    try {
      return Values.forCommand(v, col, table.name());
    } catch (BadRequestException e) {
      throw new BadRequestException("parameter ?" + (index + 1) + ": " + e.getMessage(), e);
    }
  }

  private static Expr where(TableDef table, Expr where, Object[] ps) {
    Expr bound = CompiledExpr.bind(table, where, ps);
    CompiledExpr.predicate(table, bound, NONE);
    return bound;
  }

  @Override
  public String toString() {
    return kind + " " + sql.trim();
  }
}
