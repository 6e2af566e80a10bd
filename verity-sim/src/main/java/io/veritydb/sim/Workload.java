package io.veritydb.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Turns a workload step into a statement for the engine and the effect the model applies when the
 * command reaches its position. Drawn from the step's own seed against the model's current state;
 * returns null when the step does not apply (no table yet, for example).
 *
 * <p>Besides writes the data allows, it writes what users also write: values the data forbids (NULL
 * into a NOT NULL column, text too long, numbers out of range or too precise, duplicate keys, a NOT
 * NULL column left out, one bad row in the middle of a batch), which the kernel rejects at their
 * position; values at the edge of what a column holds; and text the engine refuses before the log
 * (two statements, a statement followed by garbage, text that is not UTF-16), next to a statement
 * ended by {@code ;}, which runs.
 */
final class Workload {
  /** The message of a request that holds two statements (or one followed by anything). */
  static final String ONE_STATEMENT = "execute and query take one SQL statement";

  /** The message of a text parameter or literal with an unpaired surrogate. */
  static final String NOT_UTF16 = "is not valid UTF-16: unpaired surrogate";

  /** A statement to submit: SQL, parameters (or batch rows), and its effect on the model. */
  static final class Statement {
    final long tenant;
    final String sql;
    final Object[] params;
    final List<Object[]> batch;
    final Model.Effect effect;

    /** How the audit entry names the command. */
    final String audited;

    /**
     * Null for a command; else part of the message of the BadRequestException the engine refuses it
     * with before the log (no position, no change, no audit entry).
     */
    final String refusal;

    Statement(
        long tenant,
        String sql,
        Object[] params,
        List<Object[]> batch,
        Model.Effect effect,
        String audited,
        String refusal) {
      this.tenant = tenant;
      this.sql = sql;
      this.params = params;
      this.batch = batch;
      this.effect = effect;
      this.audited = audited;
      this.refusal = refusal;
    }

    Statement withSql(String text, String why) {
      return new Statement(tenant, text, params, batch, effect, audited, why);
    }

    Statement refused(String why) {
      return new Statement(tenant, sql, params, batch, effect, audited, why);
    }

    String describe() {
      String text;
      if (batch != null) {
        List<String> rows = new ArrayList<>();
        for (Object[] row : batch) {
          rows.add(Arrays.toString(row));
        }
        text = "batch of " + batch.size() + ": " + sql + " " + String.join(" ", rows);
      } else {
        text = sql + (params.length == 0 ? "" : " " + Arrays.toString(params));
      }
      return Trace.printable(text) + (refusal == null ? "" : " (must be refused)");
    }
  }

  private final Model model;
  private final int[] tableNames = new int[SimConfig.TENANTS + 1];
  private final int[] indexNames = new int[SimConfig.TENANTS + 1];

  Workload(Model model) {
    this.model = model;
  }

  static long tenant(Random r) {
    return 1L + r.nextInt(SimConfig.TENANTS);
  }

  Statement statement(Op op) {
    Random r = new Random(op.seed());
    long tenant = op.kind() == Op.Kind.CREATE_TABLE ? tenant(r) : model.busyTenant(r);
    Statement st =
        switch (op.kind()) {
          case CREATE_TABLE -> createTable(tenant, r);
          case CREATE_INDEX -> createIndex(tenant, r);
          case INSERT -> insert(tenant, r, false);
          case INSERT_BATCH -> insert(tenant, r, true);
          case UPDATE -> update(tenant, r);
          case DELETE -> delete(tenant, r);
          default -> throw new IllegalArgumentException("not a workload step: " + op);
        };
    return st == null ? null : text(st, r);
  }

  /**
   * The statement's text as users also write it: ended by {@code ;} (and a comment), which runs;
   * followed by a second statement or by garbage, which is refused before the log.
   */
  static Statement text(Statement st, Random r) {
    int x = r.nextInt(64);
    if (x < 4) {
      String[] ends = {";", " ;", ";\n", "; -- done", "; /* done */ "};
      return st.withSql(st.sql + ends[r.nextInt(ends.length)], st.refusal);
    } else if (x == 4) {
      return st.withSql(st.sql + "; " + st.sql, ONE_STATEMENT);
    } else if (x == 5) {
      return st.withSql(st.sql + (r.nextBoolean() ? "; garbage" : ";;"), ONE_STATEMENT);
    }
    return st;
  }

  private Statement createTable(long tenant, Random r) {
    String name = "t" + tableNames[(int) tenant]++;
    List<String> names = new ArrayList<>();
    List<ColType> types = new ArrayList<>();
    List<Boolean> notNull = new ArrayList<>();
    int pkCount;
    if (r.nextBoolean()) {
      pkCount = 1;
      names.add("id");
      types.add(ColType.BIGINT);
    } else {
      pkCount = 2;
      names.add("k1");
      types.add(ColType.INT);
      names.add("k2");
      types.add(ColType.VARCHAR);
    }
    for (int i = 0; i < pkCount; i++) {
      notNull.add(true);
    }
    int extra = 1 + r.nextInt(4);
    for (int i = 0; i < extra; i++) {
      names.add("c" + i);
      types.add(ColType.ALL.get(r.nextInt(ColType.ALL.size())));
      notNull.add(r.nextInt(4) == 0);
    }
    TableModel proto = new TableModel(name, names, types, notNull, pkCount, 0);
    return new Statement(
        tenant,
        proto.ddl(),
        new Object[0],
        null,
        Model.createTable(tenant, proto),
        "CREATE TABLE " + name,
        null);
  }

  private Statement createIndex(long tenant, Random r) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    int a = t.pkCount + r.nextInt(t.names.size() - t.pkCount);
    String cols = t.names.get(a);
    int b = r.nextInt(t.names.size());
    if (r.nextBoolean() && b != a) {
      cols += ", " + t.names.get(b);
    }
    String name = "ix" + indexNames[(int) tenant]++;
    return new Statement(
        tenant,
        "CREATE INDEX " + name + " ON " + t.name + " (" + cols + ")",
        new Object[0],
        null,
        Model.noop(),
        "CREATE INDEX " + name + " ON " + t.name,
        null);
  }

  /**
   * One of the columns {@code among} (which hold the primary key) that some value of its type
   * cannot go into.
   */
  private static int violable(TableModel t, List<Integer> among, Random r) {
    List<Integer> cols = new ArrayList<>();
    for (int i : among) {
      if (t.notNull.get(i) || t.types.get(i) != ColType.BOOLEAN) {
        cols.add(i);
      }
    }
    return cols.get(r.nextInt(cols.size()));
  }

  private static List<Integer> allColumns(TableModel t) {
    List<Integer> cols = new ArrayList<>();
    for (int i = 0; i < t.names.size(); i++) {
      cols.add(i);
    }
    return cols;
  }

  /** A value of the right type that column {@code col} cannot hold (NULL if it is NOT NULL). */
  private static Object unfit(TableModel t, int col, Random r) {
    Object bad = t.types.get(col).unfit(r);
    return bad == null || (t.notNull.get(col) && r.nextInt(3) == 0) ? null : bad;
  }

  /** A VARCHAR column of {@code t}, or -1 when it has none. */
  private static int varchar(TableModel t, Random r) {
    List<Integer> cols = new ArrayList<>();
    for (int i = 0; i < t.names.size(); i++) {
      if (t.types.get(i) == ColType.VARCHAR) {
        cols.add(i);
      }
    }
    return cols.isEmpty() ? -1 : cols.get(r.nextInt(cols.size()));
  }

  /**
   * The columns an INSERT lists: all in table order, or (one time in four) the primary key, the NOT
   * NULL columns and some others, shuffled.
   */
  private static List<Integer> insertColumns(TableModel t, Random r) {
    List<Integer> cols = new ArrayList<>();
    boolean subset = r.nextInt(4) == 0;
    for (int i = 0; i < t.names.size(); i++) {
      if (!subset || t.notNull.get(i) || r.nextBoolean()) {
        cols.add(i);
      }
    }
    if (subset) {
      Collections.shuffle(cols, r);
    }
    return cols;
  }

  private Statement insert(long tenant, Random r, boolean asBatch) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    List<Integer> cols = insertColumns(t, r);
    int n = 1 + r.nextInt(asBatch ? 6 : 3);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object[] row = new Object[cols.size()];
      for (int j = 0; j < row.length; j++) {
        row[j] = t.value(cols.get(j), r);
      }
      rows.add(row);
    }
    // One row of the command (one in the middle of a longer batch) gets an unusual value.
    Object[] odd = rows.get(n >= 3 ? 1 + r.nextInt(n - 2) : r.nextInt(n));
    String refusal = null;
    int shape = r.nextInt(40);
    if (shape < 3) {
      int at = cols.indexOf(violable(t, cols, r));
      odd[at] = unfit(t, cols.get(at), r);
    } else if (shape == 3 && cols.size() > 1) {
      // a NOT NULL column left out
      List<Integer> required = new ArrayList<>();
      for (int c : cols) {
        if (t.notNull.get(c)) {
          required.add(c);
        }
      }
      int at = cols.indexOf(required.get(r.nextInt(required.size())));
      cols.remove(at);
      for (int i = 0; i < rows.size(); i++) {
        List<Object> row = new ArrayList<>(Arrays.asList(rows.get(i)));
        row.remove(at);
        rows.set(i, row.toArray());
      }
    } else if (shape < 8) {
      int at = r.nextInt(cols.size());
      odd[at] = t.types.get(cols.get(at)).edge(r);
    } else if (shape == 8) {
      int col = varchar(t, r);
      if (col >= 0 && cols.contains(col)) {
        odd[cols.indexOf(col)] = ColType.UNPAIRED_SURROGATE;
        refusal = NOT_UTF16;
      }
    }
    List<String> names = new ArrayList<>();
    for (int c : cols) {
      names.add(t.names.get(c));
    }
    int[] ords = cols.stream().mapToInt(Integer::intValue).toArray();
    Model.Effect effect = Model.insert(tenant, t.name, ords, rows);
    String audited = "INSERT INTO " + t.name + " (" + n + " rows)";
    String head = "INSERT INTO " + t.name + " (" + String.join(", ", names) + ") VALUES ";
    if (asBatch) {
      String marks = String.join(", ", Collections.nCopies(names.size(), "?"));
      return new Statement(tenant, head + "(" + marks + ")", null, rows, effect, audited, refusal);
    }
    boolean useParams = r.nextInt(3) == 0;
    List<Object> params = new ArrayList<>();
    List<String> tuples = new ArrayList<>();
    for (Object[] row : rows) {
      List<String> vs = new ArrayList<>();
      for (Object v : row) {
        vs.add(lit(v, params, useParams));
      }
      tuples.add("(" + String.join(", ", vs) + ")");
    }
    return new Statement(
        tenant, head + String.join(", ", tuples), params.toArray(), null, effect, audited, refusal);
  }

  private static String lit(Object v, List<Object> params, boolean useParams) {
    if (useParams && v != null) {
      params.add(v);
      return "?";
    }
    return ColType.literal(v);
  }

  /** A WHERE predicate, two or (one time in three) three levels deep. */
  static Pred where(TableModel t, Random r) {
    return Pred.random(t.types, r, r.nextInt(3) == 0 ? 3 : 2);
  }

  /** {@code where} with a test of a VARCHAR column against text that is not UTF-16. */
  static Pred poisoned(Pred where, int col, Random r) {
    String bad = ColType.UNPAIRED_SURROGATE;
    Pred test =
        switch (r.nextInt(3)) {
          case 0 -> new Pred.Cmp(col, "=", bad);
          case 1 -> new Pred.In(col, List.of("a", bad), r.nextBoolean());
          default -> new Pred.Between(col, "a", bad, r.nextBoolean());
        };
    return r.nextBoolean() ? new Pred.And(where, test) : new Pred.Or(test, where);
  }

  private Statement update(long tenant, Random r) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    Pred where = where(t, r);
    int col = t.pkCount + r.nextInt(t.names.size() - t.pkCount);
    int shape = r.nextInt(40);
    if (shape < 2) {
      col = r.nextInt(t.pkCount); // a key moves, possibly onto another row's
    } else if (shape < 5) {
      col = violable(t, allColumns(t), r);
    }
    Object value = shape >= 2 && shape < 5 ? unfit(t, col, r) : t.value(col, r);
    if (shape == 5 || shape == 6) {
      value = t.types.get(col).edge(r);
    }
    String refusal = null;
    int text = varchar(t, r);
    if (shape == 7 && text >= 0) {
      refusal = NOT_UTF16;
      if (r.nextBoolean()) {
        col = text;
        value = ColType.UNPAIRED_SURROGATE;
      } else {
        where = poisoned(where, text, r);
      }
    }
    List<Object> params = new ArrayList<>();
    boolean useParams = r.nextBoolean();
    String set = t.names.get(col) + " = " + lit(value, params, useParams);
    String sql =
        "UPDATE "
            + t.name
            + " SET "
            + set
            + " WHERE "
            + Pred.sql(where, t.names, params, useParams, r.nextBoolean());
    return new Statement(
        tenant,
        sql,
        params.toArray(),
        null,
        Model.update(tenant, t.name, col, value, where),
        "UPDATE " + t.name,
        refusal);
  }

  private Statement delete(long tenant, Random r) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    Pred where = where(t, r);
    String refusal = null;
    int text = varchar(t, r);
    if (r.nextInt(40) == 0 && text >= 0) {
      where = poisoned(where, text, r);
      refusal = NOT_UTF16;
    }
    List<Object> params = new ArrayList<>();
    String sql =
        "DELETE FROM "
            + t.name
            + " WHERE "
            + Pred.sql(where, t.names, params, r.nextBoolean(), r.nextBoolean());
    return new Statement(
        tenant,
        sql,
        params.toArray(),
        null,
        Model.delete(tenant, t.name, where),
        "DELETE FROM " + t.name,
        refusal);
  }
}
