package io.veritydb.api.internal;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.KeyProvider;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.Checks;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Everything {@link Engine#open} needs; build it with {@link #builder(Path)}. Whatever {@link
 * FileIo} is given, the directory is locked and keys come from {@link #random()}: no setting
 * depends on which implementation of a seam was passed.
 *
 * @param dir the data directory
 * @param io every file operation goes through it
 * @param clock the wall clock stamped on each command (never read by the kernel)
 * @param logOptions options of the log
 * @param storeOptions options of the projection store
 * @param queueCapacity requests waiting for the kernel thread, at most (callers wait beyond it)
 * @param maxBatchCommands commands in one group commit, at most
 * @param checkpointEvery sign a checkpoint and flush the store (with a chain mark) after this many
 *     positions
 * @param statementCacheSize prepared statements kept by SQL text
 * @param threaded whether to run the kernel agent and the log append on threads of their own; false
 *     leaves stepping the agent to the caller (a simulator calls {@link Engine#agent()}'s {@code
 *     doWork()}), with each group's append run on that thread too
 * @param appendBeforeApply when not threaded: asked for each group appended while it is applied,
 *     whether its append runs before the apply (true) or after; the two orders a threaded append
 *     can finish in
 * @param storeDecorator wraps the projection store the engine opens (identity unless given)
 * @param signingKey the Ed25519 key that signs checkpoints; null: {@code dir/keys/signing.key},
 *     created from {@link #random()} on first open
 * @param keyProvider the master key that wraps tenant data keys; null: {@code dir/keys/master.key},
 *     created from {@link #random()} on first open
 * @param encryptPayloads whether tenants' log payloads are encrypted (true unless measuring its
 *     cost)
 * @param random where keys and nonce prefixes come from: a {@link SecureRandom} from the platform,
 *     unless the simulator asks for {@link Builder#seededRandomForSimulation(long)}
 */
public record EngineConfig(
    Path dir,
    FileIo io,
    InstantSource clock,
    LogOptions logOptions,
    StoreOptions storeOptions,
    int queueCapacity,
    int maxBatchCommands,
    long checkpointEvery,
    int statementCacheSize,
    boolean threaded,
    BooleanSupplier appendBeforeApply,
    UnaryOperator<ProjectionStore> storeDecorator,
    Ed25519KeyPair signingKey,
    KeyProvider keyProvider,
    boolean encryptPayloads,
    SecureRandom random) {

  public EngineConfig {
    Checks.checkNotNull(dir, "dir");
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(clock, "clock");
    Checks.checkNotNull(logOptions, "logOptions");
    Checks.checkNotNull(storeOptions, "storeOptions");
    Checks.checkNotNull(appendBeforeApply, "appendBeforeApply");
    Checks.checkNotNull(storeDecorator, "storeDecorator");
    Checks.checkNotNull(random, "random");
    Checks.checkArgument(queueCapacity >= 2, "queueCapacity", queueCapacity);
    Checks.checkArgument(maxBatchCommands >= 1, "maxBatchCommands", maxBatchCommands);
    Checks.checkArgument(checkpointEvery >= 1, "checkpointEvery", checkpointEvery);
    Checks.checkArgument(statementCacheSize >= 1, "statementCacheSize", statementCacheSize);
  }

  /** A builder with the defaults of an embedded database in {@code dir}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder(dir);
    b.io = io;
    b.clock = clock;
    b.logOptions = logOptions;
    b.storeOptions = storeOptions;
    b.queueCapacity = queueCapacity;
    b.maxBatchCommands = maxBatchCommands;
    b.checkpointEvery = checkpointEvery;
    b.statementCacheSize = statementCacheSize;
    b.threaded = threaded;
    b.appendBeforeApply = appendBeforeApply;
    b.storeDecorator = storeDecorator;
    b.signingKey = signingKey;
    b.keyProvider = keyProvider;
    b.encryptPayloads = encryptPayloads;
    b.random = random;
    return b;
  }

  /** Builds an {@link EngineConfig}; each setting starts at the default it documents. */
  public static final class Builder {
    private final Path dir;
    private FileIo io = NioFileIo.INSTANCE;
    private InstantSource clock = InstantSource.system();
    private LogOptions logOptions =
        LogOptions.builder().openCheck(LogOptions.OpenCheck.FROM_LAST_MARK).build();
    private StoreOptions storeOptions = StoreOptions.defaults();
    private int queueCapacity = 16_384;
    private int maxBatchCommands = 4_096;
    private long checkpointEvery = 50_000;
    private int statementCacheSize = 1_024;
    private boolean threaded = true;
    private BooleanSupplier appendBeforeApply = () -> false;
    private UnaryOperator<ProjectionStore> storeDecorator = UnaryOperator.identity();
    private Ed25519KeyPair signingKey;
    private KeyProvider keyProvider;
    private boolean encryptPayloads = true;
    private SecureRandom random;

    private Builder(Path dir) {
      this.dir = Checks.checkNotNull(dir, "dir");
    }

    /** Default: the real disk. */
    public Builder fileIo(FileIo io) {
      this.io = Checks.checkNotNull(io, "io");
      return this;
    }

    /** Default: the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Checks.checkNotNull(clock, "clock");
      return this;
    }

    /** Default: CRCs of every record, the chain after the last chain mark. */
    public Builder logOptions(LogOptions options) {
      this.logOptions = Checks.checkNotNull(options, "logOptions");
      return this;
    }

    /** Default: {@link StoreOptions#defaults()}. */
    public Builder storeOptions(StoreOptions options) {
      this.storeOptions = Checks.checkNotNull(options, "storeOptions");
      return this;
    }

    /** Default 16384. */
    public Builder queueCapacity(int capacity) {
      Checks.checkArgument(capacity >= 2, "queueCapacity", capacity);
      this.queueCapacity = capacity;
      return this;
    }

    /** Default 4096. */
    public Builder maxBatchCommands(int commands) {
      Checks.checkArgument(commands >= 1, "maxBatchCommands", commands);
      this.maxBatchCommands = commands;
      return this;
    }

    /** Positions between signed checkpoints, each with a store flush; default 50000. */
    public Builder checkpointEvery(long positions) {
      Checks.checkArgument(positions >= 1, "checkpointEvery", positions);
      this.checkpointEvery = positions;
      return this;
    }

    /** Default 1024. */
    public Builder statementCacheSize(int statements) {
      Checks.checkArgument(statements >= 1, "statementCacheSize", statements);
      this.statementCacheSize = statements;
      return this;
    }

    /** Default true: the engine runs its own kernel thread. */
    public Builder threaded(boolean threaded) {
      this.threaded = threaded;
      return this;
    }

    /**
     * Default: after. For an engine that is not threaded, where a simulator decides the order of
     * the events it steps.
     */
    public Builder appendBeforeApply(BooleanSupplier order) {
      this.appendBeforeApply = Checks.checkNotNull(order, "appendBeforeApply");
      return this;
    }

    /** Default: the store as opened. */
    public Builder storeDecorator(UnaryOperator<ProjectionStore> decorator) {
      this.storeDecorator = Checks.checkNotNull(decorator, "storeDecorator");
      return this;
    }

    /** Default: {@code dir/keys/signing.key}, created on first open. */
    public Builder signingKey(Ed25519KeyPair key) {
      this.signingKey = Checks.checkNotNull(key, "signingKey");
      return this;
    }

    /** Default: {@code dir/keys/master.key}, created on first open. */
    public Builder keyProvider(KeyProvider provider) {
      this.keyProvider = Checks.checkNotNull(provider, "keyProvider");
      return this;
    }

    /** Default true. */
    public Builder encryptPayloads(boolean encrypt) {
      this.encryptPayloads = encrypt;
      return this;
    }

    /**
     * Keys and nonce prefixes drawn from a generator seeded with {@code seed}: predictable by
     * anyone who knows the seed, so a simulated run reproduces. For the simulator only; never for
     * data anyone relies on. Draw a new seed for every open, as a restarted process draws new
     * randomness.
     */
    public Builder seededRandomForSimulation(long seed) {
      try {
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(seed); // before any output: SHA1PRNG then uses this seed alone
        this.random = seeded;
        return this;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK provides SHA1PRNG", e);
      }
    }

    public EngineConfig build() {
      return new EngineConfig(
          dir,
          io,
          clock,
          logOptions,
          storeOptions,
          queueCapacity,
          maxBatchCommands,
          checkpointEvery,
          statementCacheSize,
          threaded,
          appendBeforeApply,
          storeDecorator,
          signingKey,
          keyProvider,
          encryptPayloads,
          random == null ? new SecureRandom() : random);
    }
  }
}
