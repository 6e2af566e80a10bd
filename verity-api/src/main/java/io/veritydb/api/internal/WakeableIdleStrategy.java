package io.veritydb.api.internal;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * The kernel thread's idle strategy: spin briefly, then park until a caller hands it work and calls
 * {@link #wake()}, or until {@code maxParkNanos} passes (so timed duties such as a due store flush
 * still run). Callers never wait for a park timeout, and an idle database costs no CPU.
 */
public final class WakeableIdleStrategy implements IdleStrategy {
  private static final int SPINS = 64;

  private final long maxParkNanos;
  private volatile Thread owner;
  private int spins;

  public WakeableIdleStrategy(long maxParkNanos) {
    this.maxParkNanos = maxParkNanos;
  }

  /** Names the thread that idles here (the kernel thread), so callers can wake it. */
  public void owner(Thread thread) {
    owner = thread;
  }

  /** Unparks the kernel thread if it is parked (or makes its next park return at once). */
  public void wake() {
    Thread thread = owner;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void idle(int workCount) {
    if (workCount > 0) {
      spins = 0;
      return;
    }
    idle();
  }

  @Override
  public void idle() {
    if (spins < SPINS) {
      spins++;
      Thread.onSpinWait();
      return;
    }
    LockSupport.parkNanos(this, maxParkNanos);
  }

  @Override
  public void reset() {
    spins = 0;
  }

  @Override
  public String alias() {
    return "wakeable";
  }
}
