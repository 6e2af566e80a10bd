package io.veritydb.api.internal;

import io.veritydb.io.Threads;
import io.veritydb.types.BadRequestException;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that runs the {@link KernelAgent}'s duty cycle, with the group commit delay; absent
 * when the engine is stepped by its caller ({@code threaded=false}). Callers {@link #wake()} it
 * after queueing a request.
 */
final class KernelThread {
  private static final long MAX_PARK_NANOS = 1_000_000L;

  /** Groups smaller than this are not waited for: see {@link #gather()}. */
  static final int GATHER_MIN_GROUP = 4;

  static final long GATHER_MAX_NANOS = 200_000;
  static final long GATHER_PARK_NANOS = 20_000;

  private final KernelAgent agent;
  private final WakeableIdleStrategy idle = new WakeableIdleStrategy(MAX_PARK_NANOS);
  private final Thread thread;
  private volatile boolean running = true;

  /** A kernel thread named after {@code name}, or none when {@code threaded} is false. */
  KernelThread(KernelAgent agent, boolean threaded, String name) {
    this.agent = agent;
    this.thread = threaded ? new Thread(this::run, name) : null;
    if (thread != null) {
      thread.setDaemon(true);
    }
  }

  void start() {
    if (thread != null) {
      thread.start();
    }
  }

  /** Wakes the thread if it idles: a request is waiting. */
  void wake() {
    idle.wake();
  }

  /** Stops the duty cycle and waits for the thread to end. */
  void stop() {
    running = false;
    idle.wake();
    if (thread != null) {
      Threads.joinUninterruptibly(thread);
    }
  }

  /**
   * Futures of commands are completed on the kernel thread, so a callback chained on one with a
   * non-async method ({@code thenApply}, {@code whenComplete}...) runs there. A call that waits for
   * a command from that thread would wait for the thread itself, for ever: refuse it instead.
   */
  void checkNotOnIt(String call) {
    if (thread != null && Thread.currentThread() == thread) {
      throw new BadRequestException(
          call
              + " waits for the database's kernel thread, and was called on that thread: from a"
              + " callback of a future of this database (thenApply, whenComplete, ...), which runs"
              + " there. Chain the callback with an ...Async method, or submit with executeAsync"
              + " without waiting");
    }
  }

  private void run() {
    idle.owner(Thread.currentThread());
    while (running) {
      gather();
      idle.idle(agent.doWork());
    }
  }

  /**
   * Group commit delay: after answering a group of several commands, waits a little (at most {@link
   * #GATHER_MAX_NANOS}, parked, so the callers have the CPU) for those callers' next commands, so
   * that they share the next fsync with the ones already waiting instead of making a group of their
   * own after it. Without it, concurrent callers split into two cohorts that take turns, each fsync
   * carrying half of them. A single caller never waits.
   */
  private void gather() {
    if (agent.lastGroupSize() < GATHER_MIN_GROUP) {
      return;
    }
    int expected = agent.expectedNextGroup();
    long deadline = System.nanoTime() + GATHER_MAX_NANOS;
    while (running && agent.waiting() < expected && System.nanoTime() < deadline) {
      LockSupport.parkNanos(GATHER_PARK_NANOS);
    }
  }
}
