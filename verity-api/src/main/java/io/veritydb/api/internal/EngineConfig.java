package io.veritydb.api.internal;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.KeyProvider;
import io.veritydb.io.FileIo;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.StoreOptions;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.function.UnaryOperator;

/**
 * Everything {@link Engine#open} needs. {@code threaded=false} leaves driving the kernel agent to
 * the caller (a simulator calls {@link Engine#agent()}'s {@code doWork()} step by step).
 *
 * @param dir the data directory
 * @param io every file operation goes through it
 * @param clock the wall clock stamped on each command (never read by the kernel)
 * @param logOptions options of the log
 * @param storeOptions options of the projection store
 * @param queueCapacity requests waiting for the kernel thread, at most (callers wait beyond it)
 * @param maxBatchCommands commands in one group commit, at most
 * @param checkpointEvery checkpoint the store after this many positions
 * @param statementCacheSize prepared statements kept by SQL text
 * @param threaded whether to run the kernel agent on its own thread
 * @param storeDecorator wraps the projection store the engine opens (identity in production; the
 *     simulator passes decorators that plant known bugs, to show its checks catch them)
 * @param signingKey the Ed25519 key that signs checkpoints; null for the default: {@code
 *     dir/keys/signing.key} on the real disk (created on first open), a fixed, publicly known key
 *     on a simulated disk (tests only)
 * @param keyProvider the master key that wraps tenant data keys; null for the default: {@code
 *     dir/keys/master.key} (created on first open), a fixed key on a simulated disk (tests only)
 * @param encryptPayloads whether tenants' log payloads are encrypted (true unless measuring its
 *     cost)
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
    UnaryOperator<ProjectionStore> storeDecorator,
    Ed25519KeyPair signingKey,
    KeyProvider keyProvider,
    boolean encryptPayloads) {

  /**
   * A configuration with the defaults for everything else: no store decorator, the default signing
   * key and master key (see the components), payloads encrypted.
   */
  public static EngineConfig of(
      Path dir,
      FileIo io,
      InstantSource clock,
      LogOptions logOptions,
      StoreOptions storeOptions,
      int queueCapacity,
      int maxBatchCommands,
      long checkpointEvery,
      int statementCacheSize,
      boolean threaded) {
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
        UnaryOperator.identity(),
        null,
        null,
        true);
  }

  /** This configuration with {@code decorator} wrapping the store. */
  public EngineConfig withStoreDecorator(UnaryOperator<ProjectionStore> decorator) {
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
        decorator,
        signingKey,
        keyProvider,
        encryptPayloads);
  }
}
