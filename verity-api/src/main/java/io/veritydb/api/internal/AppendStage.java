package io.veritydb.api.internal;

import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.io.Threads;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread of its own for the log append of a group (encryption, chain hash, write, fsync), so that
 * the kernel thread applies the same group to the store, unpublished, while the log makes it
 * durable. The kernel publishes and answers only after {@link #finish()} returns, so nothing is
 * visible, and nobody is answered, before it is durable.
 *
 * <p>One append at a time: {@link #start} hands a group over, {@link #finish()} waits for it, and
 * the next {@code start} comes after that {@code finish} (the kernel thread calls both). The
 * handover itself costs two thread wake-ups, which is why the kernel appends small groups on its
 * own thread instead. A simulator never uses this class: with no stage the agent stays one step
 * function.
 */
final class AppendStage implements AutoCloseable {
  /** Spins while waiting for the append before parking: an fsync is often this short. */
  private static final int SPINS = 200;

  private final Log log;
  private final ProofLog proofs;
  private final Thread thread;
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

  AppendStage(Log log, ProofLog proofs, String name) {
    this.log = log;
    this.proofs = proofs;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void startThread() {
    thread.start();
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
      try {
        for (EnvelopeCipher.Sealing sealing : job.seals) {
          sealing.seal();
        }
        job.last = log.append(job.entries, proofs::appended);
      } catch (RuntimeException | Error e) {
        job.failure = e;
      }
      job.done = true;
      LockSupport.unpark(job.waiter);
    }
  }

  /** Stops the stage thread; call after the last {@link #finish()}. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    Threads.joinUninterruptibly(thread);
  }
}
