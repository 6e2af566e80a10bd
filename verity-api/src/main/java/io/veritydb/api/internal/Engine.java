package io.veritydb.api.internal;

import io.veritydb.api.AuditEntry;
import io.veritydb.api.ExecuteResult;
import io.veritydb.api.RowVersion;
import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.note.SignedNote;
import io.veritydb.io.FileIo;
import io.veritydb.kernel.Catalog;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.kernel.RowCodec;
import io.veritydb.kernel.RowKeys;
import io.veritydb.kernel.TableDef;
import io.veritydb.query.Prepared;
import io.veritydb.query.QueryEngine;
import io.veritydb.query.QueryResult;
import io.veritydb.storage.Log;
import io.veritydb.store.PagedStore;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.Threads;
import io.veritydb.types.VerityException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The runtime behind {@code Verity}: wires log, kernel and store, recovers on open, accepts
 * commands from any thread for the kernel agent, and runs queries on the caller's thread against
 * store snapshots.
 */
public final class Engine implements AutoCloseable {
  private static final long MAX_PARK_NANOS = 1_000_000L;
  private static final int ENCRYPTION_OVERHEAD = io.veritydb.crypto.EnvelopeCipher.OVERHEAD;
  private static final int MAX_AUDIT_ENTRIES = 100_000;

  private final EngineConfig config;
  private final DirectoryLock lock;
  private final Log log;
  private final ProjectionStore store;
  private final ProofLog proofs;
  private final TenantCrypto keyring;
  private final QueryEngine queries;
  private final ManyToOneConcurrentArrayQueue<Request> queue;
  private final KernelAgent agent;

  /** Groups smaller than this are not waited for: see {@link #gather()}. */
  static final int GATHER_MIN_GROUP = 4;

  static final long GATHER_MAX_NANOS = 200_000;
  static final long GATHER_PARK_NANOS = 20_000;

  /** A caller finding the queue full spins this many times, then parks this long between tries. */
  static final int QUEUE_FULL_SPINS = 64;

  static final long QUEUE_FULL_PARK_NANOS = 50_000;

  private final WakeableIdleStrategy idle = new WakeableIdleStrategy(MAX_PARK_NANOS);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread thread;

  /** The store file itself, under any decorator: asked whether it found damage. */
  private final PagedStore paged;

  /** The log appends of big groups, overlapping their apply (threaded engines only). */
  private final AppendStage appendStage;

  private volatile boolean closed;
  private volatile boolean running = true;

  private Engine(
      EngineConfig config,
      DirectoryLock lock,
      Log log,
      PagedStore paged,
      ProjectionStore store,
      ProofLog proofs,
      TenantCrypto keyring) {
    this.config = config;
    this.paged = paged;
    this.lock = lock;
    this.log = log;
    this.store = store;
    this.proofs = proofs;
    this.keyring = keyring;
    this.queries = new QueryEngine(config.statementCacheSize());
    this.queue = new ManyToOneConcurrentArrayQueue<>(config.queueCapacity());
    this.appendStage =
        config.threaded() ? new AppendStage(log, proofs, "verity-log " + config.dir()) : null;
    this.agent =
        new KernelAgent(
            log,
            store,
            proofs,
            keyring,
            config.encryptPayloads(),
            config.clock(),
            queue,
            config.maxBatchCommands(),
            config.logOptions().maxBatchBytes(),
            config.checkpointEvery(),
            appendStage);
    this.thread = config.threaded() ? new Thread(this::run, "verity-kernel " + config.dir()) : null;
  }

  /**
   * Opens the database: newest store checkpoint, then replay of the log after it. A store page that
   * fails its checks during the replay makes the open start over once, with the store rebuilt from
   * the log (see {@link StoreFile}). An interrupt status of the calling thread is set aside while
   * it opens and restored after: the key files and the directory lock are written through channels
   * an interrupt would close.
   */
  public static Engine open(EngineConfig config) {
    return Threads.withInterruptSetAside(
        () -> {
          try {
            return openOnce(config);
          } catch (StoreDamaged damaged) {
            try {
              return openOnce(config);
            } catch (StoreDamaged again) {
              again.getCause().addSuppressed(damaged.getCause());
              throw again.getCause();
            }
          }
        });
  }

  /** The store file was found damaged during an open, and marked for rebuilding. */
  private static final class StoreDamaged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreDamaged(RuntimeException cause) {
      super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }

  private static Engine openOnce(EngineConfig config) {
    FileIo io = config.io();
    Path dir = config.dir();
    io.createDirectories(dir);
    DirectoryLock lock = DirectoryLock.acquire(io, dir);
    Log log = null;
    ProjectionStore store = null;
    PagedStore paged = null;
    ProofLog proofs = null;
    TenantCrypto crypto = null;
    Path storeFile = StoreFile.in(dir);
    try {
      crypto =
          config.encryptPayloads() || io.exists(dir.resolve("keys"))
              ? TenantCrypto.open(io, dir, config.keyProvider(), true, config.random())
              : null;
      log = Log.open(io, dir.resolve("log"), config.logOptions());
      io.createDirectories(storeFile.getParent());
      paged = StoreFile.open(io, storeFile, config.storeOptions());
      store = paged;
      if (config.storeDecorator() != null) {
        ProjectionStore opened = store;
        store = config.storeDecorator().apply(opened);
        if (store == null) {
          store = opened;
          throw new IllegalArgumentException("the store decorator returned null");
        }
      }
      proofs = ProofLog.open(io, dir, log, signingKey(config));
      Engine engine = new Engine(config, lock, log, paged, store, proofs, crypto);
      // Replayed positions count towards the next checkpoint, which the agent takes when idle
      // (after open returns): the log already makes them durable.
      engine.agent.replay(config.threaded());
      if (engine.thread != null) {
        engine.appendStage.startThread();
        engine.thread.setDaemon(true);
        engine.thread.start();
      }
      return engine;
    } catch (RuntimeException e) {
      closeAfterFailedOpen(e, proofs, store, log, crypto, lock);
      if (paged != null && paged.corruption() != null) {
        StoreFile.markDamaged(io, storeFile, paged.corruption());
        throw new StoreDamaged(e);
      }
      throw e;
    }
  }

  private static Ed25519KeyPair signingKey(EngineConfig config) {
    if (config.signingKey() != null) {
      return config.signingKey();
    }
    Path keys = config.dir().resolve("keys");
    config.io().createDirectories(keys);
    return Ed25519KeyPair.loadOrCreate(config.io(), keys.resolve("signing.key"), config.random());
  }

  private static void closeAfterFailedOpen(RuntimeException failure, AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** The kernel agent, for a caller that drives it ({@code threaded=false}). */
  public KernelAgent agent() {
    return agent;
  }

  /** The newest position that is committed and applied. */
  public LogPosition lastPosition() {
    return agent.visiblePosition();
  }

  /** Prepares {@code sql} and submits it as one command, with no actor or request id. */
  public CompletableFuture<ExecuteResult> submit(TenantId tenant, String sql, Object[] params) {
    return submit(tenant, Session.NONE, sql, params);
  }

  /** Like {@link #submitBatch(TenantId, Session, String, List)}, with no actor or request id. */
  public CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, String sql, List<Object[]> rows) {
    return submitBatch(tenant, Session.NONE, sql, rows);
  }

  /** Prepares {@code sql} and submits it as one command on behalf of {@code session}. */
  public CompletableFuture<ExecuteResult> submit(
      TenantId tenant, Session session, String sql, Object[] params) {
    return onSnapshot(
        snapshot -> enqueue(tenant, session, prepareWrite(sql).bind(snapshot, tenant, params)));
  }

  /** Prepares {@code sql} once and submits all {@code rows} of parameters as one command. */
  public CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, Session session, String sql, List<Object[]> rows) {
    Checks.checkNotNull(rows, "rows");
    return onSnapshot(
        snapshot -> enqueue(tenant, session, prepareWrite(sql).bindBatch(snapshot, tenant, rows)));
  }

  /** Runs a SELECT or EXPLAIN as of {@code at} (null: the newest committed position). */
  public QueryResult query(TenantId tenant, LogPosition at, String sql, Object[] params) {
    return query(tenant, Session.NONE, at, sql, params);
  }

  /**
   * Runs a SELECT or EXPLAIN as of {@code at} (null: the newest committed position). When the
   * table's reads are audited, the read (who, which query and parameters, at which position, how
   * many rows) is written durably to the log before the rows are returned.
   */
  public QueryResult query(
      TenantId tenant, Session session, LogPosition at, String sql, Object[] params) {
    CompletableFuture<ExecuteResult> audit = null;
    QueryResult result;
    enter();
    try {
      Prepared prepared = queries.prepare(sql);
      if (!prepared.isQuery()) {
        throw new BadRequestException(
            "query() runs SELECT and EXPLAIN; use execute() for " + describe(prepared));
      }
      try (StoreSnapshot snapshot = store.snapshot()) {
        LogPosition position = at == null ? snapshot.position() : at;
        String table = prepared.table();
        if (AuditTable.isAuditTable(table)) {
          if (position.isAfter(snapshot.position())) {
            throw new BadRequestException(
                "cannot query at "
                    + position
                    + ": the newest committed position is "
                    + snapshot.position().value());
          }
          return AuditTable.query(prepared, snapshot, position, tenant, params);
        }
        ReadShortcuts shortcuts = agent.shortcuts();
        result =
            prepared.executeAtCatalogVersion(
                snapshot, position, tenant, shortcuts.catalogVersion(tenant, position), params);
        if (prepared.kind() == Prepared.Kind.SELECT
            && table != null
            && shortcuts.mayAuditReads(tenant)
            && AuditTrail.isReadAudited(snapshot, snapshot.position(), tenant, table)) {
          checkNotOnKernelThread("a query of a table whose reads are audited");
          String detail =
              sql
                  + (params == null || params.length == 0
                      ? ""
                      : " " + java.util.Arrays.deepToString(params));
          SystemCommand event =
              new SystemCommand.ReadEvent(
                  table,
                  position.value(),
                  result.size(),
                  detail.length() > 2000 ? detail.substring(0, 2000) + "..." : detail);
          audit = submitSystem(tenant, session, event);
        }
      }
    } finally {
      inFlight.decrementAndGet();
    }
    if (audit != null) {
      audit.join();
    }
    return result;
  }

  /**
   * Futures of commands are completed on the kernel thread, so a callback chained on one with a
   * non-async method ({@code thenApply}, {@code whenComplete}...) runs there. A call that waits for
   * a command from that thread would wait for the thread itself, for ever: refuse it instead.
   */
  public void checkNotOnKernelThread(String call) {
    if (thread != null && Thread.currentThread() == thread) {
      throw new BadRequestException(
          call
              + " waits for the database's kernel thread, and was called on that thread: from a"
              + " callback of a future of this database (thenApply, whenComplete, ...), which runs"
              + " there. Chain the callback with an ...Async method, or submit with executeAsync"
              + " without waiting");
    }
  }

  /** Marks {@code table} so that its reads are recorded in the audit trail (or stops it). */
  public CompletableFuture<ExecuteResult> auditReads(
      TenantId tenant, Session session, String table, boolean on) {
    String name = table == null ? "" : table.toLowerCase(java.util.Locale.ROOT);
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new BadRequestException("not a table name: " + table);
    }
    // The table must exist now (checked without a query, which would itself be an audited read).
    onSnapshot(
        snapshot -> {
          if (Catalog.find(snapshot, tenant, name) == null) {
            throw new BadRequestException("table " + name + " does not exist");
          }
          return null;
        });
    return whileOpen(() -> submitSystem(tenant, session, new SystemCommand.AuditReads(name, on)));
  }

  /**
   * Crypto-shredding: an audited command (under the system tenant) that destroys the tenant's keys
   * and purges every version of its data from the store; its log payloads can then be decrypted by
   * no one, while the chain, the Merkle tree and other tenants' data stay intact.
   */
  public CompletableFuture<ExecuteResult> shredTenant(
      TenantId tenant, Session session, String reason) {
    if (tenant.isSystem()) {
      throw new BadRequestException("the system tenant cannot be shredded");
    }
    if (keyring == null || !config.encryptPayloads()) {
      throw new BadRequestException(
          "crypto-shredding needs encrypted payloads: this database was opened with"
              + " encryptPayloads(false), so the tenant's log records are readable without keys");
    }
    if (reason == null || reason.isBlank()) {
      throw new BadRequestException("give a reason for shredding " + tenant + " (it is audited)");
    }
    return whileOpen(
        () ->
            submitSystem(
                TenantId.SYSTEM, session, new SystemCommand.ShredTenant(tenant.value(), reason)));
  }

  /** The tenant's audit entries with positions in [from, to], oldest first. */
  public List<AuditEntry> auditTrail(TenantId tenant, long from, long to) {
    return onSnapshot(
        snapshot -> AuditTrail.byPosition(snapshot, tenant, from, to, MAX_AUDIT_ENTRIES));
  }

  /** The tenant's audit entries stamped with a time in [from, to], in time order. */
  public List<AuditEntry> auditTrail(TenantId tenant, Instant from, Instant to) {
    return onSnapshot(snapshot -> AuditTrail.byTime(snapshot, tenant, from, to, MAX_AUDIT_ENTRIES));
  }

  /**
   * For each row of a result read from {@code table} as of {@code at}, the position of the record
   * that wrote the version read. The result must include the table's primary key columns.
   */
  public List<LogPosition> sourcesOf(
      TenantId tenant, String table, LogPosition at, List<String> columns, List<Object[]> rows) {
    return onSnapshot(
        snapshot -> {
          TableDef def = Catalog.find(snapshot, at, tenant, table);
          if (def == null) {
            throw new BadRequestException("table " + table + " does not exist at " + at);
          }
          int[] key = def.primaryKey();
          int[] where = new int[key.length];
          for (int k = 0; k < key.length; k++) {
            String name = def.column(key[k]).name();
            where[k] = columns.indexOf(name);
            if (where[k] < 0) {
              throw new BadRequestException(
                  "select the primary key column "
                      + name
                      + " of "
                      + table
                      + " to get proofs for the rows (the result's columns are "
                      + columns
                      + ")");
            }
          }
          List<LogPosition> out = new ArrayList<>(rows.size());
          for (Object[] row : rows) {
            Object[] pk = new Object[key.length];
            for (int k = 0; k < key.length; k++) {
              pk[k] = row[where[k]];
            }
            long source = 0;
            for (long p :
                AuditTrail.versionPositions(
                    snapshot, RowKeys.of(tenant, def, pk), MAX_AUDIT_ENTRIES)) {
              if (p <= at.value()) {
                source = p;
              }
            }
            if (source == 0) {
              throw new IllegalStateException("no version of a row read at " + at + " in " + table);
            }
            out.add(LogPosition.of(source));
          }
          return out;
        });
  }

  /** The table a SELECT reads, or null (for callers that attach proofs). */
  public String tableOf(String sql) {
    Prepared prepared = queries.prepare(sql);
    return prepared.kind() == Prepared.Kind.SELECT ? prepared.table() : null;
  }

  /** Every version of one row, oldest first, with who changed it and when. */
  public List<RowVersion> history(TenantId tenant, String table, Object[] primaryKey) {
    return onSnapshot(
        snapshot -> {
          TableDef def = Catalog.find(snapshot, tenant, table.toLowerCase(java.util.Locale.ROOT));
          if (def == null) {
            throw new BadRequestException("table " + table + " does not exist");
          }
          byte[] rowKey = RowKeys.of(tenant, def, primaryKey);
          List<RowVersion> out = new ArrayList<>();
          boolean existed = false;
          for (long position : AuditTrail.versionPositions(snapshot, rowKey, MAX_AUDIT_ENTRIES)) {
            byte[] value = snapshot.getAt(rowKey, LogPosition.of(position));
            AuditEntry entry = AuditTrail.at(snapshot, tenant, position);
            Map<String, Object> values = null;
            if (value != null) {
              Object[] decoded = RowCodec.decode(def, value);
              values = new LinkedHashMap<>();
              for (int i = 0; i < decoded.length; i++) {
                values.put(def.column(i).name(), decoded[i]);
              }
            }
            String operation = value == null ? "DELETE" : existed ? "UPDATE" : "INSERT";
            existed = value != null;
            out.add(
                new RowVersion(
                    LogPosition.of(position),
                    entry == null ? null : entry.time(),
                    entry == null ? "" : entry.actor(),
                    entry == null ? "" : entry.requestId(),
                    operation,
                    values == null ? null : Collections.unmodifiableMap(values)));
          }
          return out;
        });
  }

  private CompletableFuture<ExecuteResult> submitSystem(
      TenantId tenant, Session session, SystemCommand command) {
    return enqueueEncoded(
        tenant,
        session,
        command,
        new CommandEnvelope(
                CommandEnvelope.SYSTEM,
                session.actor(),
                session.requestId(),
                SystemCommand.encode(command))
            .encode());
  }

  /** The verifier key of this database's checkpoints, in C2SP signed-note form. */
  public String verifierKey() {
    return proofs.verifierKey();
  }

  /** The newest signed checkpoint (C2SP tlog-checkpoint), or null when none was made yet. */
  public String latestCheckpoint() {
    return whileOpen(
        () -> {
          SignedNote note = proofs.latest();
          return note == null ? null : note.encode();
        });
  }

  /** Signs a checkpoint of the log as it is now and returns it. */
  public String checkpointNow() {
    return whileOpen(
        () -> proofs.checkpoint(KernelAgent.toMicros(config.clock().instant())).encode());
  }

  /** A C2SP tlog-proof of the record at {@code position}. */
  public String proveInclusion(LogPosition position) {
    return whileOpen(
        () -> proofs.proveInclusion(position, KernelAgent.toMicros(config.clock().instant())));
  }

  /** The consistency proof from tree size {@code fromSize} to the newest checkpoint. */
  public String proveConsistency(long fromSize) {
    return whileOpen(() -> proofs.proveConsistency(fromSize));
  }

  private Prepared prepareWrite(String sql) {
    Prepared prepared = queries.prepare(sql);
    if (prepared.isQuery()) {
      throw new BadRequestException(
          "execute() runs writes and DDL; use query() for " + describe(prepared));
    }
    if (AuditTable.isAuditTable(prepared.table())) {
      throw new BadRequestException(
          AuditTable.NAME + " is a read-only system table: it cannot be created or written");
    }
    return prepared;
  }

  private static String describe(Prepared prepared) {
    return prepared.kind().name().replace('_', ' ');
  }

  private CompletableFuture<ExecuteResult> enqueue(
      TenantId tenant, Session session, Command command) {
    return enqueueEncoded(
        tenant,
        session,
        command,
        new CommandEnvelope(
                CommandEnvelope.KERNEL,
                session.actor(),
                session.requestId(),
                CommandCodec.encode(command))
            .encode());
  }

  private CompletableFuture<ExecuteResult> enqueueEncoded(
      TenantId tenant, Session session, Object command, byte[] payload) {
    if (payload.length + ENCRYPTION_OVERHEAD > config.logOptions().maxPayload()) {
      throw new BadRequestException(
          "the command is "
              + payload.length
              + " bytes encoded, more than the limit of "
              + config.logOptions().maxPayload()
              + "; split the batch");
    }
    VerityException failure = agent.failure();
    if (failure != null) {
      throw failure;
    }
    Request request = new Request(tenant, session.actor(), session.requestId(), command, payload);
    for (int tries = 0; !queue.offer(request); tries++) {
      // The queue is full: callers submit faster than the kernel thread can write. Spin briefly,
      // then park between tries, so that waiting callers leave the CPU to the kernel thread
      // (spinning callers on 2 cores made four flooding executeAsync writers 1.7x slower).
      idle.wake();
      if (agent.failure() != null) {
        throw agent.failure();
      }
      if (tries < QUEUE_FULL_SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(QUEUE_FULL_PARK_NANOS);
      }
    }
    idle.wake();
    return request.future;
  }

  /** Runs {@code work} while the database is open; close waits for it. */
  private <T> T whileOpen(Supplier<T> work) {
    enter();
    try {
      return work.get();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Runs {@code read} against a snapshot of the newest applied position, while open. */
  private <T> T onSnapshot(Function<StoreSnapshot, T> read) {
    return whileOpen(
        () -> {
          try (StoreSnapshot snapshot = store.snapshot()) {
            return read.apply(snapshot);
          }
        });
  }

  private void enter() {
    inFlight.incrementAndGet();
    if (closed) {
      inFlight.decrementAndGet();
      throw new ClosedException("the database at " + config.dir() + " is closed");
    }
  }

  private void run() {
    idle.owner(Thread.currentThread());
    while (running) {
      gather();
      idle.idle(agent.doWork());
    }
  }

  /**
   * Group commit delay: after answering a group of several commands, waits a little (at most {@link
   * #GATHER_MAX_NANOS}, parked, so the callers have the CPU) for those callers' next commands, so
   * that they share the next fsync with the ones already waiting instead of making a group of their
   * own after it. Without it, concurrent callers split into two cohorts that take turns, each fsync
   * carrying half of them. A single caller never waits.
   */
  private void gather() {
    if (agent.lastGroupSize() < GATHER_MIN_GROUP) {
      return;
    }
    int expected = agent.expectedNextGroup();
    long deadline = System.nanoTime() + GATHER_MAX_NANOS;
    while (running && agent.waiting() < expected && System.nanoTime() < deadline) {
      LockSupport.parkNanos(GATHER_PARK_NANOS);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkNotOnKernelThread("close()");
    // Like open: the last checkpoint is written through channels an interrupt would close.
    Threads.withInterruptSetAside(this::closeNow);
  }

  private void closeNow() {
    closed = true;
    while (inFlight.get() > 0) {
      idle.wake();
      Thread.onSpinWait();
    }
    running = false;
    idle.wake();
    if (thread != null) {
      Threads.joinUninterruptibly(thread);
    }
    RuntimeException failure = null;
    try {
      agent.drain();
      if (agent.failure() == null && agent.hasUncheckpointedWork()) {
        agent.checkpoint();
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    RuntimeException closing = failure == null ? new RuntimeException("closing") : failure;
    closeAfterFailedOpen(closing, appendStage, proofs, store, log, keyring, lock);
    if (paged.corruption() != null) {
      try {
        StoreFile.markDamaged(config.io(), StoreFile.in(config.dir()), paged.corruption());
      } catch (RuntimeException e) {
        closing.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (closing.getSuppressed().length > 0) {
      VerityException e =
          new io.veritydb.types.UnavailableException(
              "closing the database at " + config.dir() + " failed");
      for (Throwable t : closing.getSuppressed()) {
        e.addSuppressed(t);
      }
      throw e;
    }
  }
}
