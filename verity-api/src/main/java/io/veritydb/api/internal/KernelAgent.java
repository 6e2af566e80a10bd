package io.veritydb.api.internal;

import io.veritydb.kernel.Kernel;
import io.veritydb.storage.Log;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.time.Instant;
import java.time.InstantSource;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The one thread that changes state. Each duty cycle takes a group of requests ({@link
 * RequestBatch}), makes their log entries ({@link GroupEntries}), appends them with one fsync
 * (group commit; through the {@link AppendStage} while the group is applied, or first), applies
 * them in order through the {@link CommandApplier}, publishes, and answers each caller ({@link
 * GroupReplies}); it flushes the store, signs checkpoints and marks the chain on the {@link
 * FlushSchedule}.
 *
 * <p>It is a step function: {@link #doWork()} does one cycle and returns the work done, with time
 * from the injected clock. A {@link KernelThread} runs it in production; a simulator calls it step
 * by step. After any failure to append or apply, the agent stops (fail-stop): whether a failed
 * group reached the disk is unknown, and only a reopen, which recovers from the log, can tell.
 */
public final class KernelAgent implements Agent {
  private final Log log;
  private final ProjectionStore store;
  private final ProofLog proofs;
  private final TenantCrypto crypto;
  private final Kernel kernel = new Kernel();
  private final CommandApplier applier;
  private final InstantSource clock;
  private final int maxBatchCommands;
  private final RequestBatch batch;
  private final GroupEntries entries;
  private final GroupReplies replies;
  private final FlushSchedule schedule;
  private final AppendStage stage;
  private final ReadShortcuts shortcuts = new ReadShortcuts();

  /** The time stamped on the last group: the clock's, but never less than the group before. */
  private long batchMicros;

  /** The size of the last group answered, and the requests already waiting when it was. */
  private int answered;

  private int waitingAfterAnswer;

  private volatile VerityException failure;

  /** The newest position snapshots see: published by the store (read from any thread). */
  private volatile LogPosition visible;

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
    this.store = store;
    this.proofs = proofs;
    this.crypto = crypto;
    this.clock = clock;
    this.stage = stage;
    this.maxBatchCommands = maxBatchCommands;
    this.applier = new CommandApplier(store, kernel, crypto, true, null);
    this.batch = new RequestBatch(queue, maxBatchCommands, maxBatchBytes);
    this.entries = new GroupEntries(crypto, encrypt, maxBatchCommands);
    this.replies = new GroupReplies(maxBatchCommands);
    this.schedule = new FlushSchedule(checkpointEvery);
    LogPosition last = log.lastPosition();
    this.batchMicros = last.value() == 0 ? Long.MIN_VALUE : log.read(last).timestampMicros();
  }

  /**
   * After the open replayed {@code replayed} records into the store ({@link Replayer#recover}):
   * they count towards the next flush, and queries see everything the log holds.
   */
  void opened(long replayed) {
    Checks.checkState(
        store.appliedPosition().equals(log.lastPosition()),
        "replay ended at",
        store.appliedPosition().value(),
        "log ends at",
        log.lastPosition().value());
    schedule.replayed(replayed);
    visible = store.appliedPosition();
    shortcuts.opened(store);
  }

  @Override
  public int doWork() {
    if (failure != null) {
      return batch.failQueued(failure);
    }
    batch.collect();
    if (batch.isEmpty()) {
      if (schedule.flushDue()) {
        flushAndSign(); // e.g. the positions replayed at open
        return 1;
      }
      return 0;
    }
    // Times never decrease along the log: a clock stepped back holds time still until it catches
    // up. Audit queries by time rely on it (a binary search over positions).
    batchMicros = Math.max(toMicros(clock.instant()), batchMicros);
    boolean ahead = GroupEntries.worthApplyingAhead(batch.requests());
    int rejected = makeEntries(ahead);
    if (batch.isEmpty()) {
      return rejected;
    }
    long last = log.lastPosition().value() + batch.size();
    long first = last - batch.size() + 1;
    int applied;
    if (ahead) {
      // The append encrypts, hashes, writes and fsyncs the group while this thread applies it,
      // unpublished; nothing is published or answered until the append is done.
      stage.start(entries.entries(), entries.seals());
      applied = applyGroup(first);
      try {
        checkLast(stage.finish(), last);
      } catch (RuntimeException e) {
        // The applied positions may not be in the log: the store must never make them durable.
        store.abandon("the log append of positions " + first + ".." + last + " failed");
        return failAppend(e);
      }
    } else {
      try {
        checkLast(log.append(entries.entries()), last);
        proofs.appended(log.lastAppended());
      } catch (RuntimeException e) {
        return failAppend(e);
      }
      applied = applyGroup(first);
    }
    if (applied == batch.size()) {
      publishAndReply(first);
    } else {
      GroupReplies.failApplied(batch.requests(), first, applied, failure);
    }
    int done = batch.size();
    batch.clear();
    replies.clear();
    schedule.applied(done);
    if (failure == null && schedule.flushDue()) {
      flushAndSign();
    } else if (failure == null && schedule.markDue()) {
      markChain();
    }
    return done;
  }

  /**
   * Makes the group's log entries; a request whose tenant's keys cannot encrypt (shredded, a key
   * store that cannot lease nonces) is answered at once and left out. Returns how many were.
   */
  private int makeEntries(boolean sealLater) {
    entries.clear();
    long next = log.lastPosition().value() + 1;
    int rejected = 0;
    for (int i = 0; i < batch.size(); i++) {
      try {
        entries.add(batch.get(i), batchMicros, next, sealLater);
        next++;
      } catch (VerityException e) {
        batch.fail(i, e);
        rejected++;
      }
    }
    if (rejected > 0) {
      batch.dropFailed();
    }
    return rejected;
  }

  private static void checkLast(LogPosition last, long expected) {
    Checks.checkState(
        last.value() == expected, "the log appended up to", last.value(), "expected", expected);
  }

  /** The group's append failed: whether it reached the disk is unknown, so the agent stops. */
  private int failAppend(RuntimeException e) {
    stop("the log append", e);
    int count = batch.size();
    batch.failAll(failure);
    replies.clear();
    return count;
  }

  /** Applies the group's commands in order, unpublished; how many applied before one failed. */
  private int applyGroup(long first) {
    int applied = 0;
    while (applied < batch.size() && applyOne(batch.get(applied), first + applied)) {
      applied++;
    }
    return applied;
  }

  /**
   * Applies one durable command to the store, unpublished, holding its reply until the group is
   * published. Returns false (and stops the agent) when the apply failed.
   */
  private boolean applyOne(Request request, long at) {
    LogPosition position = LogPosition.of(at);
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
    long last = first + batch.size() - 1;
    try {
      store.publish();
      visible = LogPosition.of(last);
    } catch (RuntimeException e) {
      stop("publishing positions " + first + ".." + last, e);
      GroupReplies.failApplied(batch.requests(), first, batch.size(), failure);
      return;
    }
    answered = batch.size();
    waitingAfterAnswer = batch.waiting();
    replies.answer(batch.requests(), first);
  }

  /**
   * Flushes the store (durable up to the applied position), writes a chain mark and signs a
   * checkpoint of the log.
   */
  void flushAndSign() {
    try {
      store.flush();
      log.mark();
      proofs.checkpoint(toMicros(clock.instant()));
      schedule.flushed();
    } catch (VerityException e) {
      stop("flushing the store and signing a checkpoint", e);
    }
  }

  /** Writes a chain mark alone (see {@link FlushSchedule#MARK_EVERY}). */
  private void markChain() {
    try {
      log.mark();
      schedule.marked();
    } catch (VerityException e) {
      stop("a chain mark", e);
    }
  }

  /** Runs cycles until nothing waits: what close does before shutting down. */
  void drain() {
    while (batch.hasQueued() && failure == null) {
      doWork();
    }
    batch.failQueued(failure);
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
   * the last group's size plus what was already waiting then (see {@link KernelThread}'s gather).
   */
  int expectedNextGroup() {
    return Math.min(maxBatchCommands, answered + waitingAfterAnswer);
  }

  /** The size of the last group answered. */
  int lastGroupSize() {
    return answered;
  }

  /** Requests waiting for the next group, about. */
  int waiting() {
    return batch.waiting();
  }

  /** What queries may skip reading; see {@link ReadShortcuts}. */
  ReadShortcuts shortcuts() {
    return shortcuts;
  }

  VerityException failure() {
    return failure;
  }

  /** Whether positions were applied since the store was last flushed. */
  boolean hasUnflushedWork() {
    return schedule.pending();
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

  static long toMicros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  @Override
  public String roleName() {
    return "verity-kernel";
  }
}
