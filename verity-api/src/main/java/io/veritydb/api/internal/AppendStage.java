package io.veritydb.api.internal;

import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.Threads;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A thread of its own for the log append of a group (encryption, chain hash, write, fsync), so that
 * the kernel thread applies the same group to the store, unpublished, while the log makes it
 * durable. The kernel publishes and answers only after {@link #finish()} returns, so nothing is
 * visible, and nobody is answered, before it is durable.
 *
 * <p>One append at a time: {@link #start} hands a group over, {@link #finish()} waits for it, and
 * the next {@code start} comes after that {@code finish} (the kernel thread calls both). The
 * handover itself costs two thread wake-ups, which is why the kernel appends small groups on its
 * own thread instead.
 *
 * <p>A stepped stage ({@link #stepped}) has no thread: the append runs on the kernel's thread,
 * either at {@code start} (before the group is applied) or at {@code finish} (after), as its
 * injected order decides. Those are the two orders a threaded stage can finish in, so a simulator
 * stepping the engine runs this class and the kernel agent's apply-ahead path as production does.
 */
final class AppendStage implements AutoCloseable {
  /** Spins while waiting for the append before parking: an fsync is often this short. */
  private static final int SPINS = 200;

  private final Log log;
  private final ProofLog proofs;

  /** The stage thread; null when stepped. */
  private final Thread thread;

  /** When stepped: whether the next group is appended before it is applied. */
  private final BooleanSupplier appendFirst;

  private volatile Job pending;
  private volatile boolean running = true;
  private Job current;

  /** One group's append: filled in by the stage thread, read by the kernel thread after done. */
  private static final class Job {
    final List<LogEntry> entries;
    final List<EnvelopeCipher.Sealing> seals;
    final Thread waiter;
    LogPosition last;
    Throwable failure;
    volatile boolean done;

    Job(List<LogEntry> entries, List<EnvelopeCipher.Sealing> seals, Thread waiter) {
      this.entries = entries;
      this.seals = seals;
      this.waiter = waiter;
    }
  }

  private AppendStage(Log log, ProofLog proofs, String name, BooleanSupplier appendFirst) {
    this.log = log;
    this.proofs = proofs;
    this.appendFirst = appendFirst;
    this.thread = name == null ? null : new Thread(this::run, name);
    if (thread != null) {
      thread.setDaemon(true);
    }
  }

  /** A stage with a thread of its own, named {@code name}; see {@link #startThread()}. */
  static AppendStage threaded(Log log, ProofLog proofs, String name) {
    return new AppendStage(log, proofs, name, null);
  }

  /**
   * A stage without a thread, for an engine stepped by its caller: each group is appended on the
   * kernel's thread, before it is applied when {@code appendFirst} says so, else after.
   */
  static AppendStage stepped(Log log, ProofLog proofs, BooleanSupplier appendFirst) {
    return new AppendStage(log, proofs, null, appendFirst);
  }

  /** Starts the stage thread (a stepped stage has none). */
  void startThread() {
    if (thread != null) {
      thread.start();
    }
  }

  /**
   * Starts appending {@code entries} to the log on the stage thread, after sealing {@code seals}
   * (the encryptions whose envelopes are payloads of those entries). Neither list is copied: the
   * caller leaves them alone until {@link #finish()}.
   */
  void start(List<LogEntry> entries, List<EnvelopeCipher.Sealing> seals) {
    Checks.checkState(current == null, "an append is already in flight", entries.size());
    Checks.checkState(running, "the append stage is closed", entries.size());
    current = new Job(entries, seals, Thread.currentThread());
    if (thread == null) {
      if (appendFirst.getAsBoolean()) {
        append(current);
      }
      return;
    }
    pending = current;
    LockSupport.unpark(thread);
  }

  /**
   * Waits for the append started last and returns the group's last position, or throws what the
   * append threw (the group may or may not be durable, as with an append on the caller's thread).
   */
  LogPosition finish() {
    Job job = current;
    Checks.checkState(job != null, "no append in flight", 0);
    if (thread == null && !job.done) {
      append(job);
    }
    for (int i = 0; i < SPINS && !job.done; i++) {
      Thread.onSpinWait();
    }
    while (!job.done) {
      LockSupport.park(this);
    }
    current = null;
    if (job.failure instanceof RuntimeException e) {
      throw e;
    }
    if (job.failure instanceof Error e) {
      throw e;
    }
    return job.last;
  }

  private void run() {
    while (running) {
      Job job = pending;
      if (job == null) {
        LockSupport.park(this);
        continue;
      }
      pending = null;
      append(job);
      LockSupport.unpark(job.waiter);
    }
  }

  /** Seals the group's encryptions and appends it, recording the outcome in {@code job}. */
  private void append(Job job) {
    try {
      for (EnvelopeCipher.Sealing sealing : job.seals) {
        sealing.seal();
      }
      job.last = log.append(job.entries, proofs::appended);
    } catch (RuntimeException e) {
      job.failure = e;
    } catch (Error e) {
      if (thread == null) {
        throw e; // on the caller's thread, as any error of its own step
      }
      job.failure = e;
    }
    job.done = true;
  }

  /** Stops the stage thread; call after the last {@link #finish()}. */
  @Override
  public void close() {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
      Threads.joinUninterruptibly(thread);
    }
  }
}
