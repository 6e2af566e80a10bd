package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
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
import io.veritydb.types.VerityException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The runtime behind {@code Verity}: wires log, kernel and store, recovers on open, accepts
 * commands from any thread for the kernel agent, and runs queries on the caller's thread against
 * store snapshots.
 */
public final class Engine implements AutoCloseable {
  private static final long MAX_PARK_NANOS = 1_000_000L;

  private final EngineConfig config;
  private final DirectoryLock lock;
  private final Log log;
  private final ProjectionStore store;
  private final QueryEngine queries;
  private final ManyToOneConcurrentArrayQueue<Request> queue;
  private final KernelAgent agent;
  private final WakeableIdleStrategy idle = new WakeableIdleStrategy(MAX_PARK_NANOS);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean running = true;

  private Engine(EngineConfig config, DirectoryLock lock, Log log, ProjectionStore store) {
    this.config = config;
    this.lock = lock;
    this.log = log;
    this.store = store;
    this.queries = new QueryEngine(config.statementCacheSize());
    this.queue = new ManyToOneConcurrentArrayQueue<>(config.queueCapacity());
    this.agent =
        new KernelAgent(
            log,
            store,
            config.clock(),
            queue,
            config.maxBatchCommands(),
            config.logOptions().maxBatchBytes(),
            config.checkpointEvery());
    this.thread = config.threaded() ? new Thread(this::run, "verity-kernel " + config.dir()) : null;
  }

  /** Opens the database: newest store checkpoint, then replay of the log after it. */
  public static Engine open(EngineConfig config) {
    FileIo io = config.io();
    Path dir = config.dir();
    io.createDirectories(dir);
    DirectoryLock lock = io == NioFileIo.INSTANCE ? DirectoryLock.acquire(dir) : null;
    Log log = null;
    ProjectionStore store = null;
    try {
      log = Log.open(io, dir.resolve("log"), config.logOptions());
      io.createDirectories(dir.resolve("store"));
      store =
          PagedStore.open(io, dir.resolve("store").resolve("projection.db"), config.storeOptions());
      if (config.storeDecorator() != null) {
        ProjectionStore opened = store;
        store = config.storeDecorator().apply(opened);
        if (store == null) {
          store = opened;
          throw new IllegalArgumentException("the store decorator returned null");
        }
      }
      Engine engine = new Engine(config, lock, log, store);
      if (engine.agent.replay() > 0) {
        store.checkpoint();
      }
      if (engine.thread != null) {
        engine.thread.setDaemon(true);
        engine.thread.start();
      }
      return engine;
    } catch (RuntimeException e) {
      closeAfterFailedOpen(e, store, log, lock);
      throw e;
    }
  }

  private static void closeAfterFailedOpen(
      RuntimeException failure, AutoCloseable store, AutoCloseable log, AutoCloseable lock) {
    for (AutoCloseable resource : new AutoCloseable[] {store, log, lock}) {
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
    return store.appliedPosition();
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
    enter();
    try {
      Prepared prepared = prepareWrite(sql);
      Command command;
      try (StoreSnapshot snapshot = store.snapshot()) {
        command = prepared.bind(snapshot, tenant, params);
      }
      return enqueue(tenant, session, command);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Prepares {@code sql} once and submits all {@code rows} of parameters as one command. */
  public CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, Session session, String sql, List<Object[]> rows) {
    Checks.checkNotNull(rows, "rows");
    enter();
    try {
      Prepared prepared = prepareWrite(sql);
      Command command;
      try (StoreSnapshot snapshot = store.snapshot()) {
        command = prepared.bindBatch(snapshot, tenant, rows);
      }
      return enqueue(tenant, session, command);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Runs a SELECT or EXPLAIN as of {@code at} (null: the newest committed position). */
  public QueryResult query(TenantId tenant, LogPosition at, String sql, Object[] params) {
    enter();
    try {
      Prepared prepared = queries.prepare(sql);
      if (!prepared.isQuery()) {
        throw new BadRequestException(
            "query() runs SELECT and EXPLAIN; use execute() for " + describe(prepared));
      }
      try (StoreSnapshot snapshot = store.snapshot()) {
        LogPosition position = at == null ? snapshot.position() : at;
        return prepared.execute(snapshot, position, tenant, params);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The position a query with {@code at == null} would read at right now. */
  public LogPosition readPosition() {
    return store.appliedPosition();
  }

  private Prepared prepareWrite(String sql) {
    Prepared prepared = queries.prepare(sql);
    if (prepared.isQuery()) {
      throw new BadRequestException(
          "execute() runs writes and DDL; use query() for " + describe(prepared));
    }
    return prepared;
  }

  private static String describe(Prepared prepared) {
    return prepared.kind().name().replace('_', ' ');
  }

  private CompletableFuture<ExecuteResult> enqueue(
      TenantId tenant, Session session, Command command) {
    byte[] payload =
        new CommandEnvelope(session.actor(), session.requestId(), CommandCodec.encode(command))
            .encode();
    if (payload.length > config.logOptions().maxPayload()) {
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
    while (!queue.offer(request)) {
      idle.wake();
      if (agent.failure() != null) {
        throw agent.failure();
      }
      Thread.onSpinWait();
    }
    idle.wake();
    return request.future;
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
      idle.idle(agent.doWork());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (inFlight.get() > 0) {
      idle.wake();
      Thread.onSpinWait();
    }
    running = false;
    idle.wake();
    if (thread != null) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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
    closeAfterFailedOpen(closing, store, log, lock);
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
