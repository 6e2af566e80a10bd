package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.kernel.Kernel;
import io.veritydb.kernel.Reply;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The one thread that changes state. Each duty cycle drains a batch of requests, appends them to
 * the log with one fsync (group commit), then applies them in order through the kernel to the store
 * and completes each caller's future.
 *
 * <p>It is a step function: {@link #doWork()} does one cycle and returns the work done, with time
 * from the injected clock. A real thread runs it in production; a simulator can call it step by
 * step. After any failure to append or apply, the agent stops (fail-stop): whether a failed batch
 * reached the disk is unknown, and only a reopen, which recovers from the log, can tell.
 */
public final class KernelAgent implements Agent {
  private final Log log;
  private final ProjectionStore store;
  private final ProofLog proofs;
  private final TenantCrypto crypto;
  private final boolean encrypt;
  private final Kernel kernel = new Kernel();
  private final CommandApplier applier;
  private final InstantSource clock;
  private final ManyToOneConcurrentArrayQueue<Request> queue;
  private final int maxBatchCommands;
  private final long maxBatchBytes;
  private final long checkpointEvery;
  private final List<Request> batch;
  private final List<LogEntry> entries;

  /** The encryptions of a group appended on the stage thread, which seals them: see entryFor. */
  private final List<EnvelopeCipher.Sealing> seals;

  /** Per command of the group being applied: its {@link Reply}, or the exception to answer. */
  private final List<Object> replies;

  private Request carried;
  private long sinceCheckpoint;

  /**
   * Log checkpoints (position and chain hash, a few bytes and one fsync) are also taken every this
   * many positions between store checkpoints: opening checks the chain from the newest one, so this
   * bounds what an open after a crash must hash, whatever {@code checkpointEvery} is. {@code verity
   * verify} still checks the whole chain.
   */
  static final long LOG_CHECKPOINT_EVERY = 1 << 16;

  private long sinceLogCheckpoint;

  /** A group of one command this large is still applied while it is appended. */
  static final long AHEAD_MIN_BYTES = 4096;

  /**
   * The size of the last group answered, and the requests already waiting when it was. Read by
   * {@link Engine}'s gathering, on this same thread between duty cycles.
   */
  private int answered;

  private int waitingAfterAnswer;

  /** Where groups are appended while they are applied; null: appended first, on this thread. */
  private final AppendStage stage;

  /** The time stamped on the last group: the clock's, but never less than the group before. */
  private long batchMicros;

  private volatile VerityException failure;

  /** The newest position snapshots see: published by the store (read from any thread). */
  private volatile LogPosition visible;

  private final ReadShortcuts shortcuts = new ReadShortcuts();

  KernelAgent(
      Log log,
      ProjectionStore store,
      ProofLog proofs,
      TenantCrypto crypto,
      boolean encrypt,
      InstantSource clock,
      ManyToOneConcurrentArrayQueue<Request> queue,
      int maxBatchCommands,
      long maxBatchBytes,
      long checkpointEvery,
      AppendStage stage) {
    this.log = log;
    this.stage = stage;
    this.store = store;
    this.proofs = proofs;
    this.crypto = crypto;
    this.encrypt = encrypt && crypto != null;
    this.clock = clock;
    this.queue = queue;
    this.maxBatchCommands = maxBatchCommands;
    this.maxBatchBytes = maxBatchBytes;
    this.checkpointEvery = checkpointEvery;
    this.batch = new ArrayList<>(maxBatchCommands);
    this.entries = new ArrayList<>(maxBatchCommands);
    this.seals = new ArrayList<>(maxBatchCommands);
    this.replies = new ArrayList<>(maxBatchCommands);
    this.applier = new CommandApplier(store, kernel, crypto, true, null);
    LogPosition last = log.lastPosition();
    this.batchMicros = last.value() == 0 ? Long.MIN_VALUE : log.read(last).timestampMicros();
  }

  /**
   * Replays the log from the store's applied position: the recovery half of open. Returns the
   * number of records applied. With {@code ahead}, records are decoded and decrypted on a second
   * thread ahead of the apply (see {@link Replayer#replayAhead}).
   */
  long replay(boolean ahead) {
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
    long count =
        ahead
            ? Replayer.replayAhead(log, store, kernel, crypto, true, last, "verity-replay-decoder")
            : Replayer.replay(log, store, kernel, crypto, true, last);
    sinceCheckpoint += count;
    visible = store.appliedPosition();
    shortcuts.opened(store);
    Checks.checkState(
        store.appliedPosition().equals(last),
        "replay ended at",
        store.appliedPosition().value(),
        "log ends at",
        last.value());
    return count;
  }

  @Override
  public int doWork() {
    if (failure != null) {
      return failQueued();
    }
    collect();
    if (batch.isEmpty()) {
      if (sinceCheckpoint >= checkpointEvery) {
        checkpoint(); // e.g. the positions replayed at open
        return 1;
      }
      return 0;
    }
    // Times never decrease along the log: a clock stepped back holds time still until it catches
    // up. Audit queries by time rely on it (a binary search over positions).
    long micros = Math.max(toMicros(clock.instant()), batchMicros);
    batchMicros = micros;
    entries.clear();
    seals.clear();
    boolean ahead = stage != null && worthApplyingAhead(batch);
    long next = log.lastPosition().value() + 1;
    int rejected = 0;
    for (int i = 0; i < batch.size(); i++) {
      Request request = batch.get(i);
      try {
        entries.add(entryFor(request, micros, next, ahead));
        next++;
      } catch (VerityException e) {
        // Not written: a shredded tenant, a key store that cannot lease nonces.
        request.future.completeExceptionally(e);
        batch.set(i, null);
        rejected++;
      }
    }
    if (rejected > 0) {
      batch.removeIf(java.util.Objects::isNull);
      if (batch.isEmpty()) {
        return rejected;
      }
    }
    long first = next - batch.size();
    int applied;
    if (ahead) {
      // The stage thread encrypts, hashes, writes and fsyncs the group while this thread applies
      // it, unpublished; nothing is published or answered until the append is done.
      stage.start(entries, seals);
      applied = applyGroup(first);
      try {
        checkLast(stage.finish(), next - 1);
      } catch (RuntimeException e) {
        // The applied positions may not be in the log: the store must never make them durable.
        store.abandon("the log append of positions " + first + ".." + (next - 1) + " failed");
        return failAppend(e);
      }
    } else {
      try {
        checkLast(log.append(entries, proofs::appended), next - 1);
      } catch (RuntimeException e) {
        return failAppend(e);
      }
      applied = applyGroup(first);
    }
    if (applied == batch.size()) {
      publishAndReply(first);
    } else {
      failApplied(first, applied);
    }
    int done = done();
    sinceCheckpoint += done;
    sinceLogCheckpoint += done;
    if (failure == null && sinceCheckpoint >= checkpointEvery) {
      checkpoint();
    } else if (failure == null && sinceLogCheckpoint >= LOG_CHECKPOINT_EVERY) {
      logCheckpoint();
    }
    return done;
  }

  private static void checkLast(LogPosition last, long expected) {
    Checks.checkState(
        last.value() == expected, "the log appended up to", last.value(), "expected", expected);
  }

  /** The group's append failed: whether it reached the disk is unknown, so the agent stops. */
  private int failAppend(RuntimeException e) {
    stop("the log append", e);
    int count = batch.size();
    failAll(batch);
    replies.clear();
    return count;
  }

  /** Applies the group's commands in order, unpublished; how many applied before one failed. */
  private int applyGroup(long first) {
    int applied = 0;
    while (applied < batch.size()
        && applyOne(batch.get(applied), LogPosition.of(first + applied))) {
      applied++;
    }
    return applied;
  }

  /** Clears the group just answered; its size. */
  private int done() {
    int done = batch.size();
    batch.clear();
    replies.clear();
    return done;
  }

  /**
   * Whether to apply {@code group} while the stage thread appends it. Not for a group of one small
   * command (the handover would cost more than the overlap saves), and not when a command of the
   * system tenant is in it: shredding a tenant destroys its keys while applying, which must not
   * happen for a command that might not reach the log.
   */
  private static boolean worthApplyingAhead(List<Request> group) {
    long bytes = 0;
    for (Request request : group) {
      if (request.tenant.isSystem()) {
        return false;
      }
      bytes += request.payload.length;
    }
    return group.size() > 1 || bytes >= AHEAD_MIN_BYTES;
  }

  /**
   * The log entry of {@code request} at {@code position}, its payload encrypted when the tenant's
   * is. The nonce is drawn here, so a tenant whose keys cannot encrypt is rejected before anything
   * is written; with {@code sealLater} the cipher work itself is left to the stage thread (the
   * entry's payload array is filled in before it is hashed), off this thread's critical path.
   */
  private LogEntry entryFor(Request request, long micros, long position, boolean sealLater) {
    if (!encrypt || request.tenant.isSystem()) {
      return new LogEntry(RecordKinds.COMMAND, request.tenant, micros, 0, request.payload);
    }
    EnvelopeCipher.Sealing sealing = crypto.prepare(request.tenant, position, request.payload);
    if (sealLater) {
      seals.add(sealing);
    } else {
      sealing.seal();
    }
    return new LogEntry(
        RecordKinds.COMMAND,
        request.tenant,
        micros,
        RecordDescriptor.FLAG_ENCRYPTED,
        sealing.envelope());
  }

  /**
   * Applies one durable command to the store, unpublished: its reply waits in {@link #replies}
   * until the whole group is published, so no caller is answered before a snapshot can see its
   * write. Returns false (and stops the agent) when the apply failed.
   */
  private boolean applyOne(Request request, LogPosition position) {
    try {
      if (crypto != null && !request.tenant.isSystem() && crypto.isShredded(request.tenant)) {
        // Shredded by a command earlier in this group: like replay, which decodes the records of a
        // shredded tenant to nothing, this position changes nothing.
        store.applyUnpublished(position, new WriteBatch());
        replies.add(
            new KeyException(
                request.tenant
                    + "'s keys were destroyed (crypto-shredded) by a command just before this one,"
                    + " which was therefore not applied"));
        return true;
      }
      shortcuts.applied(request.tenant, position, request.command);
      replies.add(
          applier.apply(
              new CommandApplier.Stamp(
                  request.tenant, position, batchMicros, request.actor, request.requestId),
              request.command));
      return true;
    } catch (RuntimeException e) {
      stop("applying " + position, e);
      return false;
    }
  }

  /** Publishes the applied group, then answers each caller. */
  private void publishAndReply(long first) {
    try {
      store.publish();
      visible = LogPosition.of(first + batch.size() - 1);
    } catch (RuntimeException e) {
      stop("publishing positions " + first + ".." + (first + batch.size() - 1), e);
      failApplied(first, batch.size());
      return;
    }
    answered = batch.size();
    waitingAfterAnswer = queue.size();
    for (int i = 0; i < batch.size(); i++) {
      Request request = batch.get(i);
      Object reply = replies.get(i);
      if (reply instanceof Reply.Applied ok) {
        request.future.complete(new ExecuteResult(LogPosition.of(first + i), ok.rowsAffected()));
      } else if (reply instanceof Reply.Rejected rejected) {
        request.future.completeExceptionally(rejected.toException());
      } else {
        request.future.completeExceptionally((VerityException) reply);
      }
    }
  }

  /**
   * After a failed apply or publish: nothing of the group is visible. The first {@code applied}
   * commands are durable in the log (a reopen replays them); the rest are too but were not applied.
   */
  private void failApplied(long first, int applied) {
    for (int i = 0; i < batch.size(); i++) {
      Request request = batch.get(i);
      if (i < applied) {
        request.future.completeExceptionally(
            new UnavailableException(
                "the command at position "
                    + (first + i)
                    + " is durable in the log, but the database stopped before it became visible: "
                    + failure.getMessage(),
                failure));
      } else {
        request.future.completeExceptionally(failure);
      }
    }
  }

  /** Takes requests off the queue up to the batch limits; one that does not fit waits. */
  private void collect() {
    long bytes = 0;
    if (carried != null) {
      batch.add(carried);
      bytes += carried.payload.length;
      carried = null;
    }
    while (batch.size() < maxBatchCommands) {
      Request request = queue.poll();
      if (request == null) {
        break;
      }
      if (!batch.isEmpty() && bytes + request.payload.length > maxBatchBytes) {
        carried = request;
        break;
      }
      batch.add(request);
      bytes += request.payload.length;
    }
  }

  /** Makes the store durable up to the applied position, and records a log checkpoint. */
  void checkpoint() {
    try {
      store.checkpoint();
      log.checkpoint();
      proofs.checkpoint(toMicros(clock.instant()));
      sinceCheckpoint = 0;
      sinceLogCheckpoint = 0;
    } catch (VerityException e) {
      stop("a checkpoint", e);
    }
  }

  private void logCheckpoint() {
    try {
      log.checkpoint();
      sinceLogCheckpoint = 0;
    } catch (VerityException e) {
      stop("a log checkpoint", e);
    }
  }

  /** Runs cycles until the queue is empty: what close does before shutting down. */
  void drain() {
    while ((carried != null || !queue.isEmpty()) && failure == null) {
      doWork();
    }
    failQueued();
  }

  /**
   * The newest position a query sees: the last published group. After a failed apply, positions
   * applied but never published are not included (they are in the log; a reopen replays them).
   */
  LogPosition visiblePosition() {
    return visible;
  }

  /**
   * How many requests the next group could hold if the callers just answered come straight back:
   * the last group's size plus what was already waiting then (see {@link Engine}'s gathering).
   */
  int expectedNextGroup() {
    return Math.min(maxBatchCommands, answered + waitingAfterAnswer);
  }

  /** The size of the last group answered. */
  int lastGroupSize() {
    return answered;
  }

  /** Requests waiting for the next group, about (the queue's size is approximate). */
  int waiting() {
    return queue.size() + (carried == null ? 0 : 1);
  }

  /** What queries may skip reading; see {@link ReadShortcuts}. */
  ReadShortcuts shortcuts() {
    return shortcuts;
  }

  VerityException failure() {
    return failure;
  }

  boolean hasUncheckpointedWork() {
    return sinceCheckpoint > 0;
  }

  /** Fail-stop: {@code what} failed, so nothing more is written until a reopen recovers. */
  private void stop(String what, RuntimeException cause) {
    if (failure == null) {
      failure =
          new UnavailableException(
              what
                  + " failed, so the database stopped: "
                  + cause.getMessage()
                  + "; reopen it to recover",
              cause);
    }
  }

  private int failQueued() {
    int count = 0;
    if (carried != null) {
      carried.future.completeExceptionally(failure == null ? closed() : failure);
      carried = null;
      count++;
    }
    Request request;
    while ((request = queue.poll()) != null) {
      request.future.completeExceptionally(failure == null ? closed() : failure);
      count++;
    }
    return count;
  }

  private void failAll(List<Request> requests) {
    for (Request request : requests) {
      request.future.completeExceptionally(failure);
    }
    requests.clear();
  }

  private static VerityException closed() {
    return new io.veritydb.types.ClosedException(
        "the database was closed before this command was written");
  }

  static long toMicros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  @Override
  public String roleName() {
    return "verity-kernel";
  }
}
