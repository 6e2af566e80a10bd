package io.veritydb.bench.harness;

/**
 * One client of an engine, used by one thread: a JDBC connection for the peers, the tenant handle
 * for VerityDB. Every write is acknowledged (durable at the engine's setting) before it returns.
 */
public interface BenchSession extends AutoCloseable {
  /** One single-row INSERT in its own transaction (autocommit). */
  void insert(long id);

  /** Rows {@code firstId .. firstId + count - 1} in one transaction / one executeBatch. */
  void insertBatch(long firstId, int count);

  /** {@code SELECT * FROM patients WHERE id = ?}; returns the number of rows read. */
  int selectById(long id);

  /** {@code SELECT * FROM patients WHERE ward = ? ORDER BY id LIMIT 100}; returns the rows read. */
  int selectByWard(int ward);

  /** {@code UPDATE patients SET balance = ? WHERE id IN (ids)} as one statement; rows changed. */
  long updateBalances(long[] ids, long balance);

  @Override
  void close();
}
