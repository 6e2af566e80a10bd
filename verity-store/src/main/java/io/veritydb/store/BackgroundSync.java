package io.veritydb.store;

import io.veritydb.io.Threads;
import io.veritydb.types.UnavailableException;

/**
 * One thread that makes pages written early durable while the writer goes on ({@link
 * StoreOptions#withBackgroundSync}). The writer writes the pages no apply will change again (leaves
 * and overflow pages of an ended write epoch: fresh pages, which no durable superblock reaches, so
 * writing them early is always safe) and {@link #request() requests} a sync; a flush then finds
 * most of its pages already on the device and its own fsync is short. Scattered page writes are
 * what a flush after random updates spends most of its time on (a device write per page).
 *
 * <p>This only moves work: every flush still writes its remaining pages and fsyncs before its
 * superblock, with this thread paused ({@link #pause()}). A failed background fsync may have
 * dropped the dirty pages it covered (and a later fsync of the same file may then succeed without
 * them), so it is remembered and {@link #pause()} throws it: the flush fails and the store stops
 * taking writes, as for a failed fsync of its own.
 */
final class BackgroundSync {
  private final PageFile file;
  private final Thread thread;

  private boolean requested;
  private boolean paused;
  private boolean syncing;
  private boolean stopping;
  private RuntimeException failure;

  BackgroundSync(PageFile file) {
    this.file = file;
    this.thread = new Thread(this::run, "verity-store-sync " + file.path().getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for a sync of everything written so far. Writer thread. */
  synchronized void request() {
    requested = true;
    notifyAll();
  }

  /**
   * Waits until no background sync is running and starts none until {@link #resume()}; throws if
   * one failed. Writer thread, before a flush writes.
   */
  synchronized void pause() {
    paused = true;
    boolean interrupted = false;
    while (syncing) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // the sync in flight must end before the flush goes on
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw new UnavailableException(
          "store file " + file.path() + ": a background fsync failed: " + failure.getMessage(),
          failure);
    }
  }

  /** Waits until every requested sync ran (or one failed); for tests. */
  synchronized void awaitIdle() throws InterruptedException {
    while ((requested || syncing) && failure == null && !stopping && !paused) {
      wait();
    }
  }

  synchronized void resume() {
    paused = false;
    notifyAll();
  }

  /** Stops the thread after the sync in flight, if any. */
  void close() {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    Threads.joinUninterruptibly(thread);
  }

  private void run() {
    while (true) {
      synchronized (this) {
        while (!stopping && (paused || !requested)) {
          try {
            wait();
          } catch (InterruptedException e) {
            stopping = true; // nobody interrupts this thread but close-like shutdown
          }
        }
        if (stopping || failure != null) {
          return;
        }
        requested = false;
        syncing = true;
      }
      RuntimeException failed = null;
      try {
        file.sync();
      } catch (RuntimeException e) {
        failed = e;
      }
      synchronized (this) {
        syncing = false;
        if (failed != null) {
          failure = failed;
        }
        notifyAll();
        if (failure != null) {
          return;
        }
      }
    }
  }
}
