package io.veritydb.query;

import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.kernel.Kernel;
import io.veritydb.kernel.Outcome;
import io.veritydb.kernel.Reply;
import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.List;

/** A tiny single-threaded runtime for tests: engine + kernel over a MemoryStore. */
final class TestDb {
  final MemoryStore store = new MemoryStore();
  final Kernel kernel = new Kernel();
  final QueryEngine engine;
  TenantId tenant = TenantId.of(1);

  TestDb() {
    this(64);
  }

  TestDb(int cacheSize) {
    engine = new QueryEngine(cacheSize);
  }

  TestDb as(TenantId t) {
    tenant = t;
    return this;
  }

  /**
   * Applies a command at the next position, after a trip through the log codec as the runtime does;
   * throws the rejection's exception.
   */
  long apply(Command command) {
    Command c = CommandCodec.decode(CommandCodec.encode(command));
    LogPosition next = store.appliedPosition().next();
    Outcome o = kernel.apply(store.snapshot(), tenant, next, c);
    store.apply(next, o.batch());
    if (o.reply() instanceof Reply.Rejected r) {
      throw r.toException();
    }
    return ((Reply.Applied) o.reply()).rowsAffected();
  }

  long exec(String sql, Object... params) {
    Prepared p = engine.prepare(sql);
    try (StoreSnapshot s = store.snapshot()) {
      return apply(p.bind(s, tenant, params));
    }
  }

  long batch(String sql, List<Object[]> rows) {
    Prepared p = engine.prepare(sql);
    try (StoreSnapshot s = store.snapshot()) {
      return apply(p.bindBatch(s, tenant, rows));
    }
  }

  QueryResult query(String sql, Object... params) {
    try (StoreSnapshot s = store.snapshot()) {
      return engine.prepare(sql).execute(s, s.position(), tenant, params);
    }
  }

  QueryResult queryAt(LogPosition at, String sql, Object... params) {
    try (StoreSnapshot s = store.snapshot()) {
      return engine.prepare(sql).execute(s, at, tenant, params);
    }
  }

  LogPosition position() {
    return store.appliedPosition();
  }

  /** Rows rendered as lists, for assertions. */
  static List<List<Object>> rows(QueryResult r) {
    return r.rows().stream().map(a -> java.util.Arrays.asList(a.clone())).toList();
  }
}
