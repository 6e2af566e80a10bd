package io.veritydb.bench.harness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One JDBC connection with its prepared statements, used by one thread. */
final class JdbcSession implements BenchSession {
  private final JdbcEngine engine;
  private final Connection conn;
  private PreparedStatement insert;
  private PreparedStatement byId;
  private PreparedStatement byWard;
  private PreparedStatement update;
  private int updateSize;

  JdbcSession(JdbcEngine engine, Connection conn) {
    this.engine = engine;
    this.conn = conn;
  }

  private IllegalStateException fail(String what, SQLException e) {
    return new IllegalStateException(engine.name() + ": " + what + ": " + e.getMessage(), e);
  }

  private PreparedStatement insertStatement() throws SQLException {
    if (insert == null) {
      insert =
          conn.prepareStatement(
              "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)");
    }
    return insert;
  }

  private static void bindRow(PreparedStatement ps, long id) throws SQLException {
    ps.setLong(1, id);
    ps.setString(2, BenchEngine.nameOf(id));
    ps.setInt(3, BenchEngine.wardOf(id));
    ps.setLong(4, BenchEngine.balanceOf(id));
  }

  @Override
  public void insert(long id) {
    try {
      PreparedStatement ps = insertStatement();
      bindRow(ps, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw fail("insert id=" + id, e);
    }
  }

  @Override
  public void insertBatch(long firstId, int count) {
    try {
      conn.setAutoCommit(false);
      PreparedStatement ps = insertStatement();
      for (long id = firstId; id < firstId + count; id++) {
        bindRow(ps, id);
        ps.addBatch();
      }
      ps.executeBatch();
      conn.commit();
      conn.setAutoCommit(true);
    } catch (SQLException e) {
      throw fail("insert batch from id=" + firstId, e);
    }
  }

  private static int readAll(ResultSet rs) throws SQLException {
    int n = 0;
    long sink = 0;
    while (rs.next()) {
      sink += rs.getLong(1) + rs.getString(2).length() + rs.getInt(3) + rs.getLong(4);
      n++;
    }
    return sink == Long.MIN_VALUE ? -1 : n;
  }

  @Override
  public int selectById(long id) {
    try {
      if (byId == null) {
        byId = conn.prepareStatement("SELECT * FROM patients WHERE id = ?");
      }
      byId.setLong(1, id);
      try (ResultSet rs = byId.executeQuery()) {
        return readAll(rs);
      }
    } catch (SQLException e) {
      throw fail("select id=" + id, e);
    }
  }

  @Override
  public int selectByWard(int ward) {
    try {
      if (byWard == null) {
        byWard =
            conn.prepareStatement("SELECT * FROM patients WHERE ward = ? ORDER BY id LIMIT 100");
      }
      byWard.setInt(1, ward);
      try (ResultSet rs = byWard.executeQuery()) {
        return readAll(rs);
      }
    } catch (SQLException e) {
      throw fail("select ward=" + ward, e);
    }
  }

  @Override
  public long updateBalances(long[] ids, long balance) {
    try {
      if (update == null || updateSize != ids.length) {
        if (update != null) {
          update.close();
        }
        update = conn.prepareStatement(UpdateSql.inList(ids.length));
        updateSize = ids.length;
      }
      update.setLong(1, balance);
      for (int i = 0; i < ids.length; i++) {
        update.setLong(i + 2, ids[i]);
      }
      return update.executeUpdate();
    } catch (SQLException e) {
      throw fail("update of " + ids.length + " rows", e);
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw fail("close", e);
    }
  }
}
