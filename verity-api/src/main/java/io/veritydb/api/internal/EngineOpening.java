package io.veritydb.api.internal;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.io.FileIo;
import io.veritydb.io.Threads;
import io.veritydb.storage.Log;
import io.veritydb.store.PagedStore;
import io.veritydb.store.ProjectionStore;
import java.nio.file.Path;

/**
 * Opening and recovery: locks the directory, opens the key store, the log (whose recovery cuts a
 * torn tail), the store file, the Merkle tree and signed checkpoints, then replays the log from the
 * store's applied position. A store page that fails its checks during the replay makes the open
 * start over once, with the store rebuilt from the log (see {@link StoreFile}). A failed open
 * closes what it opened.
 */
final class EngineOpening {
  private EngineOpening() {}

  /** What an open engine holds, closed in reverse order. */
  record Parts(
      DirectoryLock lock,
      TenantCrypto crypto,
      Log log,
      PagedStore paged,
      ProjectionStore store,
      ProofLog proofs,
      FileIo io,
      Path storeFile) {}

  /**
   * Opens the database in {@code config.dir()}. An interrupt status of the calling thread is set
   * aside while it opens and restored after: the key files and the directory lock are written
   * through channels an interrupt would close.
   */
  static Engine open(EngineConfig config) {
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
    DataDirectory.checkOpenable(io, dir);
    io.createDirectories(dir);
    Path storeFile = StoreFile.in(dir);
    DirectoryLock lock = DirectoryLock.acquire(io, dir);
    TenantCrypto crypto = null;
    Log log = null;
    PagedStore paged = null;
    ProjectionStore store = null;
    ProofLog proofs = null;
    try {
      crypto =
          config.encryptPayloads() || io.exists(dir.resolve("keys"))
              ? TenantCrypto.open(io, dir, config.keyProvider(), true, config.random())
              : null;
      log = Log.open(io, dir.resolve("log"), config.logOptions());
      io.createDirectories(storeFile.getParent());
      paged = StoreFile.open(io, storeFile, config.storeOptions());
      store = decorate(config, paged);
      proofs = ProofLog.open(io, dir, log, signingKey(config));
      Engine engine =
          new Engine(config, new Parts(lock, crypto, log, paged, store, proofs, io, storeFile));
      // Replayed positions count towards the next store flush, which the agent makes when idle
      // (after open returns): the log already makes them durable.
      engine.agent().opened(Replayer.recover(log, store, crypto, config.threaded()));
      engine.start();
      return engine;
    } catch (RuntimeException e) {
      closeQuietly(e, proofs, store == null ? paged : store, log, crypto, lock);
      if (paged != null && paged.corruption() != null) {
        StoreFile.markDamaged(io, storeFile, paged.corruption());
        throw new StoreDamaged(e);
      }
      throw e;
    }
  }

  private static ProjectionStore decorate(EngineConfig config, PagedStore paged) {
    ProjectionStore store = config.storeDecorator().apply(paged);
    if (store == null) {
      throw new IllegalArgumentException("the store decorator returned null");
    }
    return store;
  }

  private static Ed25519KeyPair signingKey(EngineConfig config) {
    if (config.signingKey() != null) {
      return config.signingKey();
    }
    Path keys = config.dir().resolve("keys");
    config.io().createDirectories(keys);
    return Ed25519KeyPair.loadOrCreate(config.io(), keys.resolve("signing.key"), config.random());
  }

  /**
   * Closes what an engine holds, adding each failure to {@code failure}'s suppressed exceptions; a
   * store that found damage is marked for rebuilding by the next open.
   */
  static void closeAll(RuntimeException failure, AppendStage appendStage, Parts parts) {
    closeQuietly(
        failure,
        appendStage,
        parts.proofs(),
        parts.store(),
        parts.log(),
        parts.crypto(),
        parts.lock());
    if (parts.paged().corruption() != null) {
      try {
        StoreFile.markDamaged(parts.io(), parts.storeFile(), parts.paged().corruption());
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static void closeQuietly(RuntimeException failure, AutoCloseable... resources) {
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
}
