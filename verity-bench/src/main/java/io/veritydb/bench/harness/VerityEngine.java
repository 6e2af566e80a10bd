package io.veritydb.bench.harness;

import io.veritydb.api.Rows;
import io.veritydb.api.TenantHandle;
import io.veritydb.api.Verity;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** VerityDB through its embedded API, at its only setting: every acknowledged write is fsynced. */
public final class VerityEngine implements BenchEngine {
  static final String INSERT = "INSERT INTO patients (id, name, ward, balance) VALUES (?, ?, ?, ?)";
  static final String BY_ID = "SELECT * FROM patients WHERE id = ?";
  static final String BY_WARD = "SELECT * FROM patients WHERE ward = ? ORDER BY id LIMIT 100";

  private final Path dir;
  private final Verity db;
  private final TenantHandle tenant;

  private VerityEngine(Path dir, Verity db) {
    this.dir = dir;
    this.db = db;
    this.tenant = db.tenant(TenantId.of(1));
  }

  /** Opens (creating) a database in {@code dir} with default options. */
  public static VerityEngine open(Path dir) {
    return new VerityEngine(dir, Verity.open(dir));
  }

  static Object[] row(long id) {
    return new Object[] {
      id, BenchEngine.nameOf(id), BenchEngine.wardOf(id), BenchEngine.balanceOf(id)
    };
  }

  @Override
  public String name() {
    return "verity";
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public void createTable() {
    tenant.execute(
        "CREATE TABLE patients (id BIGINT PRIMARY KEY, name VARCHAR(64), ward INT, balance"
            + " BIGINT)");
  }

  @Override
  public void createWardIndex() {
    tenant.execute("CREATE INDEX patients_ward ON patients (ward)");
  }

  /** The newest committed position. */
  public LogPosition lastPosition() {
    return db.lastPosition();
  }

  /** W3's query as of {@code at}; the rows read. */
  public int selectByIdAt(LogPosition at, long id) {
    return tenant.queryAt(at, BY_ID, id).size();
  }

  /** W4's query as of {@code at}; the rows read. */
  public int selectByWardAt(LogPosition at, int ward) {
    return tenant.queryAt(at, BY_WARD, ward).size();
  }

  @Override
  public BenchSession session() {
    return new BenchSession() {
      @Override
      public void insert(long id) {
        tenant.execute(INSERT, row(id));
      }

      @Override
      public void insertBatch(long firstId, int count) {
        List<Object[]> rows = new ArrayList<>(count);
        for (long id = firstId; id < firstId + count; id++) {
          rows.add(row(id));
        }
        tenant.executeBatch(INSERT, rows);
      }

      @Override
      public int selectById(long id) {
        Rows rows = tenant.query(BY_ID, id);
        return rows.size();
      }

      @Override
      public int selectByWard(int ward) {
        return tenant.query(BY_WARD, ward).size();
      }

      @Override
      public long updateBalances(long[] ids, long balance) {
        Object[] params = new Object[ids.length + 1];
        params[0] = balance;
        for (int i = 0; i < ids.length; i++) {
          params[i + 1] = ids[i];
        }
        return tenant.execute(UpdateSql.inList(ids.length), params).rowsAffected();
      }

      @Override
      public void close() {
        // The tenant handle holds nothing to release.
      }
    };
  }

  @Override
  public void close() {
    db.close();
  }
}
