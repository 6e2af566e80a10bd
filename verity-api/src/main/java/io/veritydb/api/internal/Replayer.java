package io.veritydb.api.internal;

import io.veritydb.kernel.Kernel;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogCursor;
import io.veritydb.storage.LogRecord;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Derives the store from the log: applies records after the store's position, in log order.
 *
 * <p>A record goes through two stages: {@link #decode} (decrypt, parse the envelope and the
 * command: a pure function of the record and the tenant's keys) and {@link #apply} (the kernel and
 * the store, strictly in log order). {@link #replayAhead} runs the first stage on a second thread,
 * a bounded number of records ahead, so decryption overlaps the apply. The only way the second
 * stage changes what the first would produce is a crypto-shred (it destroys keys, after which the
 * tenant's records decode to nothing): the decoder therefore stops after a shred command until it
 * has been applied. Either way the store ends the same as {@link #replay} would leave it.
 */
final class Replayer {
  /** Records applied between two publishes of the store. */
  static final int CHUNK = 1024;

  /**
   * Records per hand-over between the two stages. Small, so the decoder runs at most a few hundred
   * records ahead and the objects it made are more likely still in a cache when the applying thread
   * reads them (with 4 x 1024 records in flight, JFR put a visible share of the applying thread's
   * samples on the first read of a decoded record's fields); publishing stays once per {@link
   * #CHUNK}.
   */
  static final int HAND_OVER = 128;

  /** Hand-overs decoded ahead of the apply, at most. */
  private static final int CHUNKS_AHEAD = 4;

  private Replayer() {}

  /**
   * One record after the first stage: the command to apply, or none (a record that changes no
   * state, or a crypto-shredded tenant's), or the error to raise when the record's turn comes.
   */
  static final class Decoded {
    final LogRecord record;
    final LogPosition position;
    final LoggedCommand command;
    final String actor;
    final String requestId;
    final RuntimeException error;

    /**
     * A SQL command's audit entry key and head, computed in the first stage so the applying thread
     * only appends the outcome; null otherwise.
     */
    final CommandApplier.AuditAhead ahead;

    private Decoded(LogRecord record, RuntimeException error) {
      this(record, null, null, null, error);
    }

    private Decoded(
        LogRecord record,
        LoggedCommand command,
        String actor,
        String requestId,
        RuntimeException error) {
      this.record = record;
      this.position = record.position();
      this.command = command;
      this.actor = actor;
      this.requestId = requestId;
      this.error = error;
      if (command != null && command.kind() == LoggedCommand.Kind.SQL) {
        this.ahead =
            new CommandApplier.AuditAhead(
                AuditTrail.entryKey(record.tenant(), position.value()),
                AuditTrail.head(
                    record.timestampMicros(),
                    actor,
                    requestId,
                    AuditTrail.describe(((LoggedCommand.Sql) command).command())));
      } else {
        this.ahead = null;
      }
    }

    boolean isShred() {
      return command != null && command.kind() == LoggedCommand.Kind.SHRED_TENANT;
    }
  }

  /**
   * The recovery half of open: replays the log from the store's applied position to its end, with
   * records decoded and decrypted on a second thread ahead of the apply when {@code ahead} (see
   * {@link #replayAhead}), and returns how many. A store ahead of its log is refused: the log lost
   * committed records, or the store belongs to another log.
   */
  static long recover(Log log, ProjectionStore store, TenantCrypto crypto, boolean ahead) {
    LogPosition applied = store.appliedPosition();
    LogPosition last = log.lastPosition();
    if (applied.isAfter(last)) {
      throw new CorruptionException(
          "the store has applied up to "
              + applied
              + " but the log ends at "
              + last
              + ": the log lost committed records, or the store belongs to another log");
    }
    Kernel kernel = new Kernel();
    return ahead
        ? replayAhead(log, store, kernel, crypto, true, last, "verity-replay-decoder")
        : replay(log, store, kernel, crypto, true, last);
  }

  /**
   * Applies every record after {@code store.appliedPosition()} up to {@code upTo}, on this thread.
   */
  static long replay(
      Log log,
      ProjectionStore store,
      Kernel kernel,
      TenantCrypto crypto,
      boolean mayChangeKeys,
      LogPosition upTo) {
    long count = 0;
    CommandApplier applier =
        new CommandApplier(store, kernel, crypto, mayChangeKeys, new Kernel.TableMemo());
    try (LogCursor cursor = log.iterate(store.appliedPosition().next())) {
      while (cursor.next()) {
        LogRecord record = cursor.record();
        if (record.position().isAfter(upTo)) {
          break;
        }
        apply(decode(record, crypto), store, applier);
        count++;
        if (count % CHUNK == 0) {
          store.publish();
        }
      }
    }
    store.publish();
    return count;
  }

  /**
   * Like {@link #replay}, with decoding on a second thread ({@code name}) running ahead of the
   * apply on this one. An error in either stage stops both; the records before it stay applied.
   */
  static long replayAhead(
      Log log,
      ProjectionStore store,
      Kernel kernel,
      TenantCrypto crypto,
      boolean mayChangeKeys,
      LogPosition upTo,
      String name) {
    Pipeline pipeline = new Pipeline(log, store.appliedPosition().next(), upTo, crypto);
    Thread decoder = new Thread(pipeline::decodeAll, name);
    decoder.setDaemon(true);
    decoder.start();
    long count = 0;
    CommandApplier applier =
        new CommandApplier(store, kernel, crypto, mayChangeKeys, new Kernel.TableMemo());
    try {
      while (true) {
        Chunk chunk = pipeline.take();
        for (Decoded decoded : chunk.records) {
          apply(decoded, store, applier);
          count++;
          if (count % CHUNK == 0) {
            store.publish();
          }
        }
        if (chunk.applied != null || chunk.failure != null || chunk.last) {
          store.publish();
        }
        if (chunk.applied != null) {
          chunk.applied.countDown();
        }
        if (chunk.failure != null) {
          throw chunk.failure;
        }
        if (chunk.last) {
          return count;
        }
      }
    } finally {
      pipeline.cancel();
      joinQuietly(decoder);
    }
  }

  /** The first stage: never throws; a failure is carried in the result. */
  static Decoded decode(LogRecord record, TenantCrypto crypto) {
    try {
      if (record.kind() != RecordKinds.COMMAND) {
        return new Decoded(record, null);
      }
      if (crypto != null && !record.tenant().isSystem() && crypto.isShredded(record.tenant())) {
        // Crypto-shredded: the tenant's commands are gone from every derived state.
        return new Decoded(record, null);
      }
      byte[] payload = record.payload();
      if ((record.flags() & RecordDescriptor.FLAG_ENCRYPTED) != 0) {
        if (crypto == null) {
          throw new KeyException(
              "the log record at " + record.position() + " is encrypted and no keys are available");
        }
        payload = crypto.decrypt(record.tenant(), record.position().value(), payload);
      }
      String where = "log record at " + record.position();
      CommandEnvelope envelope = CommandEnvelope.decode(payload, where);
      return new Decoded(
          record,
          CommandApplier.decode(envelope, where),
          envelope.actor(),
          envelope.requestId(),
          null);
    } catch (RuntimeException e) {
      return new Decoded(record, e);
    }
  }

  /** The second stage, in log order; unpublished (the caller publishes). */
  static void apply(Decoded decoded, ProjectionStore store, CommandApplier applier) {
    if (decoded.error != null) {
      throw decoded.error;
    }
    LogRecord record = decoded.record;
    if (decoded.command == null) {
      store.applyUnpublished(decoded.position, new WriteBatch());
      return;
    }
    applier.apply(
        new CommandApplier.Stamp(
            record.tenant(),
            decoded.position,
            record.timestampMicros(),
            decoded.actor,
            decoded.requestId),
        decoded.command,
        decoded.ahead);
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records handed from the decoder to the apply. */
  private static final class Chunk {
    final List<Decoded> records;
    final boolean last;
    final RuntimeException failure;

    /** Set when the chunk ends with a shred: the decoder waits for it before going on. */
    final CountDownLatch applied;

    Chunk(List<Decoded> records, boolean last, RuntimeException failure, boolean barrier) {
      this.records = records;
      this.last = last;
      this.failure = failure;
      this.applied = barrier ? new CountDownLatch(1) : null;
    }
  }

  /** The decoder's side: reads, decodes and hands over chunks through a bounded queue. */
  private static final class Pipeline {
    private final Log log;
    private final LogPosition from;
    private final LogPosition upTo;
    private final TenantCrypto crypto;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    private volatile boolean cancelled;

    Pipeline(Log log, LogPosition from, LogPosition upTo, TenantCrypto crypto) {
      this.log = log;
      this.from = from;
      this.upTo = upTo;
      this.crypto = crypto;
    }

    void decodeAll() {
      List<Decoded> records = new ArrayList<>(HAND_OVER);
      try (LogCursor cursor = log.iterate(from)) {
        while (cursor.next()) {
          LogRecord record = cursor.record();
          if (record.position().isAfter(upTo)) {
            break;
          }
          Decoded decoded = decode(record, crypto);
          records.add(decoded);
          if (decoded.isShred()) {
            Chunk chunk = new Chunk(records, false, null, true);
            if (!put(chunk) || !await(chunk.applied)) {
              return;
            }
            records = new ArrayList<>(HAND_OVER);
          } else if (records.size() == HAND_OVER) {
            if (!put(new Chunk(records, false, null, false))) {
              return;
            }
            records = new ArrayList<>(HAND_OVER);
          }
        }
        put(new Chunk(records, true, null, false));
      } catch (RuntimeException e) {
        put(new Chunk(records, true, e, false));
      }
    }

    Chunk take() {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while replaying the log", e);
      }
    }

    /** Stops the decoder: it sees the flag at its next hand-over. */
    void cancel() {
      cancelled = true;
      queue.clear();
    }

    private boolean put(Chunk chunk) {
      return untilCancelled(() -> queue.offer(chunk, 10, TimeUnit.MILLISECONDS));
    }

    private boolean await(CountDownLatch latch) {
      return untilCancelled(() -> latch.await(10, TimeUnit.MILLISECONDS));
    }

    /** Retries a bounded wait until it succeeds (true) or the apply side cancels (false). */
    private boolean untilCancelled(TimedWait wait) {
      try {
        while (!cancelled) {
          if (wait.tryOnce()) {
            return true;
          }
        }
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** One bounded wait: true when it succeeded in time. */
  private interface TimedWait {
    boolean tryOnce() throws InterruptedException;
  }
}
