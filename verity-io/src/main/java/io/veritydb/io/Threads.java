package io.veritydb.io;

import java.util.function.Supplier;

/**
 * Thread and interrupt plumbing of the I/O edge: the engine's own threads and the calls that write
 * files use it (never the kernel, the query layer or the protocol, which run no threads).
 */
public final class Threads {
  private Threads() {}

  /**
   * Runs {@code work} with the caller's interrupt status cleared, and sets it again afterwards if
   * it was set: for work that writes through {@code FileChannel}s, which an interrupt of the thread
   * using them closes. An interrupt that arrives while {@code work} runs stays set as usual.
   */
  public static <T> T withInterruptSetAside(Supplier<T> work) {
    boolean interrupted = Thread.interrupted();
    try {
      return work.get();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@link #withInterruptSetAside(Supplier)} for work with no result. */
  public static void withInterruptSetAside(Runnable work) {
    withInterruptSetAside(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Waits until {@code thread} has ended, however often the caller is interrupted meanwhile; the
   * caller's interrupt status is restored afterwards. For closing a component that owns a thread:
   * it must not return while that thread may still touch files.
   */
  public static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
