package io.veritydb.types;

/** Small helpers for the threads at the edges (never used by the kernel, query or protocol). */
public final class Threads {
  private Threads() {}

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
