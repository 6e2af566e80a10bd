package io.veritydb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns a workload step into a statement for the engine and the effect the model applies when the
 * command reaches its position. Drawn from the step's own seed against the model's current state;
 * returns null when the step does not apply (no table yet, for example).
 */
final class Workload {
  /** A statement to submit: SQL, parameters (or batch rows), and its effect on the model. */
  static final class Statement {
    final long tenant;
    final String sql;
    final Object[] params;
    final List<Object[]> batch;
    final Model.Effect effect;

    Statement(long tenant, String sql, Object[] params, List<Object[]> batch, Model.Effect effect) {
      this.tenant = tenant;
      this.sql = sql;
      this.params = params;
      this.batch = batch;
      this.effect = effect;
    }

    String describe() {
      if (batch != null) {
        List<String> rows = new ArrayList<>();
        for (Object[] row : batch) {
          rows.add(java.util.Arrays.toString(row));
        }
        return "batch of " + batch.size() + ": " + sql + " " + String.join(" ", rows);
      }
      return sql + (params.length == 0 ? "" : " " + java.util.Arrays.toString(params));
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
    return switch (op.kind()) {
      case CREATE_TABLE -> createTable(tenant, r);
      case CREATE_INDEX -> createIndex(tenant, r);
      case INSERT -> insert(tenant, r, false);
      case INSERT_BATCH -> insert(tenant, r, true);
      case UPDATE -> update(tenant, r);
      case DELETE -> delete(tenant, r);
      default -> throw new IllegalArgumentException("not a workload step: " + op);
    };
  }

  private Statement createTable(long tenant, Random r) {
    String name = "t" + tableNames[(int) tenant]++;
    List<String> names = new ArrayList<>();
    List<ColType> types = new ArrayList<>();
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
    int extra = 1 + r.nextInt(4);
    for (int i = 0; i < extra; i++) {
      names.add("c" + i);
      types.add(ColType.ALL.get(r.nextInt(ColType.ALL.size())));
    }
    TableModel proto = new TableModel(name, names, types, pkCount, 0);
    return new Statement(
        tenant, proto.ddl(), new Object[0], null, Model.createTable(tenant, proto));
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
        Model.noop());
  }

  private static Object[] row(TableModel t, Random r) {
    Object[] row = new Object[t.names.size()];
    for (int i = 0; i < row.length; i++) {
      ColType type = t.types.get(i);
      row[i] = i < t.pkCount ? type.keyValue(r) : type.nullable(r);
    }
    return row;
  }

  private Statement insert(long tenant, Random r, boolean asBatch) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    int n = 1 + r.nextInt(asBatch ? 6 : 3);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(t, r));
    }
    String cols = String.join(", ", t.names);
    Model.Effect effect = Model.insert(tenant, t.name, rows);
    if (asBatch) {
      List<String> marks = new ArrayList<>();
      for (int i = 0; i < t.names.size(); i++) {
        marks.add("?");
      }
      String sql =
          "INSERT INTO " + t.name + " (" + cols + ") VALUES (" + String.join(", ", marks) + ")";
      return new Statement(tenant, sql, null, rows, effect);
    }
    List<String> tuples = new ArrayList<>();
    for (Object[] row : rows) {
      List<String> vs = new ArrayList<>();
      for (Object v : row) {
        vs.add(ColType.literal(v));
      }
      tuples.add("(" + String.join(", ", vs) + ")");
    }
    String sql = "INSERT INTO " + t.name + " (" + cols + ") VALUES " + String.join(", ", tuples);
    return new Statement(tenant, sql, new Object[0], null, effect);
  }

  private Statement update(long tenant, Random r) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    Pred where = Pred.random(t.types, r, 2);
    int col = t.pkCount + r.nextInt(t.names.size() - t.pkCount);
    Object value = t.types.get(col).nullable(r);
    List<Object> params = new ArrayList<>();
    boolean useParams = r.nextBoolean();
    String set;
    if (useParams && value != null) {
      params.add(value);
      set = t.names.get(col) + " = ?";
    } else {
      set = t.names.get(col) + " = " + ColType.literal(value);
    }
    String sql =
        "UPDATE "
            + t.name
            + " SET "
            + set
            + " WHERE "
            + Pred.sql(where, t.names, params, useParams);
    return new Statement(
        tenant, sql, params.toArray(), null, Model.update(tenant, t.name, col, value, where));
  }

  private Statement delete(long tenant, Random r) {
    TableModel t = model.randomTable(tenant, r);
    if (t == null) {
      return null;
    }
    Pred where = Pred.random(t.types, r, 2);
    List<Object> params = new ArrayList<>();
    String sql =
        "DELETE FROM " + t.name + " WHERE " + Pred.sql(where, t.names, params, r.nextBoolean());
    return new Statement(tenant, sql, params.toArray(), null, Model.delete(tenant, t.name, where));
  }
}
