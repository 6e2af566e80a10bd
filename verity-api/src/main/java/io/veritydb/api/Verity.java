package io.veritydb.api;

import io.veritydb.api.internal.Engine;
import io.veritydb.api.internal.EngineConfig;
import io.veritydb.api.internal.Session;
import io.veritydb.crypto.KeyProvider;
import io.veritydb.io.FileIo;
import io.veritydb.query.QueryResult;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An open VerityDB database in one directory.
 *
 * <pre>{@code
 * try (Verity db = Verity.open(Path.of("data"))) {
 *   TenantHandle t = db.tenant(TenantId.of(1));
 *   t.execute("CREATE TABLE patients (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ward INT)");
 *   ExecuteResult r = t.execute("INSERT INTO patients (id, name, ward) VALUES (?, ?, ?)", 1L, "Ada", 3);
 *   Rows now = t.query("SELECT * FROM patients WHERE id = ?", 1L);
 *   Rows then = t.queryAt(r.position(), "SELECT name FROM patients WHERE ward = ?", 3);
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may use it and its tenant handles at once. Writes go
 * through one kernel thread in log order and share fsyncs (group commit); queries run on the
 * calling thread against a snapshot and never wait for writes.
 */
public final class Verity implements AutoCloseable {
  private final Engine engine;
  private final Path dir;

  private Verity(Engine engine, Path dir) {
    this.engine = engine;
    this.dir = dir;
  }

  /** Opens (creating when missing) the database in {@code dir} with default options. */
  public static Verity open(Path dir) {
    return builder(dir).open();
  }

  /** Options for opening the database in {@code dir}; finish with {@link Builder#open()}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** A handle for one tenant's data. Handles are cheap and thread-safe. */
  public TenantHandle tenant(TenantId tenant) {
    Checks.checkNotNull(tenant, "tenant");
    if (tenant.isSystem()) {
      throw new BadRequestException("tenant 0 is the system tenant; use a positive tenant id");
    }
    return new TenantHandle(this, tenant, Session.NONE);
  }

  /**
   * A handle for one tenant's data on behalf of {@code actor} (a user, service or role name the
   * application chooses), which is recorded with every command the handle writes.
   */
  public TenantHandle tenant(TenantId tenant, String actor) {
    return tenant(tenant).as(actor);
  }

  /** The newest committed and applied log position (0 for an empty database). */
  public LogPosition lastPosition() {
    return engine.lastPosition();
  }

  /**
   * The key that verifies this database's signed checkpoints, in the C2SP signed-note verifier key
   * form {@code <origin>+<key hash>+<base64 of 0x01 || Ed25519 public key>}. Publish it where
   * auditors can find it.
   */
  public String verifierKey() {
    return engine.verifierKey();
  }

  /**
   * Signs a checkpoint of the whole log as it is now: a C2SP tlog-checkpoint (origin, tree size,
   * RFC 6962 Merkle root) with the log's BLAKE3 chain hash and the time as extension lines, signed
   * with Ed25519. Keep it somewhere else; {@link #proveConsistency} later proves that the log still
   * contains exactly the history it describes. Checkpoints are also made every {@code
   * checkpointEvery} positions and on close.
   */
  public String checkpoint() {
    return engine.checkpointNow();
  }

  /** The newest signed checkpoint, or null when the database has none yet. */
  public String latestCheckpoint() {
    return engine.latestCheckpoint();
  }

  /**
   * A C2SP tlog-proof that the record at {@code position} is in the newest checkpoint: the leaf
   * index ({@code position - 1}), the inclusion proof, the signed checkpoint, and in its extra line
   * the record's stored bytes, whose RFC 6962 leaf hash the proof covers.
   */
  public String proveInclusion(LogPosition position) {
    Checks.checkNotNull(position, "position");
    return engine.proveInclusion(position);
  }

  /**
   * The RFC 6962 consistency proof from an earlier tree size (the size line of a checkpoint you
   * kept) to the newest checkpoint: one base64 SHA-256 hash per line.
   */
  public String proveConsistency(long fromTreeSize) {
    return engine.proveConsistency(fromTreeSize);
  }

  /**
   * Verifies a closed data directory without changing it, trusting none of its files that are
   * derived from the log: every record's CRC32C and the whole BLAKE3 chain, the log's chain marks,
   * the Merkle level files against the RFC 6962 tree recomputed from the records, every signed
   * checkpoint (signature, root, chain hash, size), the key files (every record must decrypt),
   * every page of the store and its entries against a replay of the log. Each problem names the
   * file and the offset, position or node where it is.
   *
   * <p>It holds the directory's lock while it runs: a database that is open (in this process or
   * another) is refused, and so is an open while it runs.
   *
   * @param trustedVerifierKey the verifier key you published (see {@link #verifierKey()}); null to
   *     use the one derived from the directory's own signing key file
   * @param progress receives (phase, count) now and then on a large directory; null for no reports
   * @throws BadRequestException when {@code dir} does not exist, is not a directory, cannot be read
   *     or is not a data directory (the message says which)
   * @throws io.veritydb.types.UnavailableException when the database is open: "the database at DIR
   *     is open in another process; close it or verify a copy"
   */
  public static VerificationReport verify(
      Path dir, String trustedVerifierKey, java.util.function.BiConsumer<String, Long> progress) {
    return io.veritydb.api.internal.Verifier.verify(dir, trustedVerifierKey, progress);
  }

  /**
   * Crypto-shreds a tenant, for an erasure request: an audited command in the log (under the system
   * tenant, with {@code reason}) that irreversibly destroys the tenant's data keys and purges every
   * version of its rows, indexes, catalog and audit entries from the store. Its log records stay in
   * place, so the hash chain, the Merkle tree, signed checkpoints and other tenants' data all still
   * verify, but their payloads can no longer be decrypted by anyone. Later writes for the tenant
   * are refused.
   */
  public ExecuteResult shredTenant(TenantId tenant, String reason) {
    Checks.checkNotNull(tenant, "tenant");
    engine.checkNotOnKernelThread("shredTenant()");
    try {
      return engine.shredTenant(tenant, Session.NONE, reason).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof io.veritydb.types.VerityException v) {
        throw v;
      }
      throw e;
    }
  }

  /**
   * The audit trail of the database itself (the system tenant): shredding commands with their
   * reasons, for positions {@code from} to {@code to}.
   */
  public java.util.List<AuditEntry> systemAuditTrail(LogPosition from, LogPosition to) {
    return engine.auditTrail(TenantId.SYSTEM, from.value(), to.value());
  }

  /** The data directory. */
  public Path directory() {
    return dir;
  }

  /**
   * Closes the database: commands already accepted are written and applied, the store is flushed
   * (and a checkpoint signed), files are closed and the directory lock released. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  CompletableFuture<ExecuteResult> submit(
      TenantId tenant, Session session, String sql, Object[] params) {
    return engine.submit(tenant, session, sql, params);
  }

  CompletableFuture<ExecuteResult> submitBatch(
      TenantId tenant, Session session, String sql, List<Object[]> rows) {
    return engine.submitBatch(tenant, session, sql, rows);
  }

  Rows query(TenantId tenant, Session session, LogPosition at, String sql, Object[] params) {
    LogPosition position = at == null ? engine.lastPosition() : at;
    QueryResult result = engine.query(tenant, session, position, sql, params);
    return new Rows(result.columnNames(), result.columnTypes(), result.rows(), position);
  }

  Engine engine() {
    return engine;
  }

  /** Options for {@link Verity#open}; each has a default suited to an embedded database. */
  public static final class Builder {
    private final Path dir;
    private final EngineConfig.Builder config;

    private Builder(Path dir) {
      this.dir = Checks.checkNotNull(dir, "dir");
      this.config = EngineConfig.builder(dir);
    }

    /**
     * The file system to use (default: the real disk). Whatever is passed, the directory is locked
     * and keys are drawn from a {@link java.security.SecureRandom} and kept in the directory, as on
     * the real disk.
     */
    public Builder fileIo(FileIo io) {
      config.fileIo(io);
      return this;
    }

    /** The clock whose time is stamped on every command (default: the system clock). */
    public Builder clock(InstantSource clock) {
      config.clock(clock);
      return this;
    }

    /**
     * Options of the log: segment size, compression threshold, hashing parallelism, how much of the
     * chain open recomputes (default: every CRC, and the chain after the last chain mark; {@link
     * #verify} always checks everything). The limits that decide how the log is read (largest
     * payload and batch) are recorded in the directory: a later open with smaller limits reads what
     * was written with larger ones.
     */
    public Builder logOptions(LogOptions options) {
      config.logOptions(options);
      return this;
    }

    /** Options of the projection store, such as its page cache size. */
    public Builder storeOptions(StoreOptions options) {
      config.storeOptions(options);
      return this;
    }

    /** Commands that may wait for the kernel thread; callers beyond it wait (default 16384). */
    public Builder queueCapacity(int capacity) {
      config.queueCapacity(capacity);
      return this;
    }

    /** Commands written by one group commit, at most (default 4096). */
    public Builder maxBatchCommands(int commands) {
      config.maxBatchCommands(commands);
      return this;
    }

    /**
     * Signs a checkpoint and flushes the store after this many log positions (default 50000): the
     * cadence of both, since each signed checkpoint is made with a store flush (and a chain mark).
     * Fewer means a faster reopen after a crash, more means less write amplification.
     */
    public Builder checkpointEvery(long positions) {
      config.checkpointEvery(positions);
      return this;
    }

    /** Prepared statements kept by SQL text (default 1024). */
    public Builder statementCacheSize(int statements) {
      config.statementCacheSize(statements);
      return this;
    }

    /**
     * Where the master key comes from (default: {@code DIR/keys/master.key}, created with
     * owner-only permissions on first open). It wraps every tenant's data key.
     */
    public Builder keyProvider(KeyProvider provider) {
      config.keyProvider(provider);
      return this;
    }

    /**
     * Whether each tenant's log payloads are encrypted with the tenant's data key (default true).
     * Turn off only to measure what encryption costs: without it, crypto-shredding cannot make a
     * tenant's history unreadable.
     */
    public Builder encryptPayloads(boolean encrypt) {
      config.encryptPayloads(encrypt);
      return this;
    }

    /** Opens the database, recovering from the log whatever the store had not flushed. */
    public Verity open() {
      return new Verity(Engine.open(config.build()), dir);
    }
  }
}
