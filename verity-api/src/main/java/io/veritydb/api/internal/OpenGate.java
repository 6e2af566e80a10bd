package io.veritydb.api.internal;

import io.veritydb.store.ProjectionStore;
import io.veritydb.store.StoreSnapshot;
import io.veritydb.types.ClosedException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Admits calls while the database is open and lets close wait for those inside: every public call
 * of the engine runs through {@link #whileOpen}. After {@link #shut} no call enters; close then
 * waits until {@link #inside()} is zero.
 */
final class OpenGate {
  private final Path dir;
  private final AtomicInteger inside = new AtomicInteger();
  private volatile boolean shut;

  OpenGate(Path dir) {
    this.dir = dir;
  }

  /** Runs {@code work} while the database is open; close waits for it. */
  <T> T whileOpen(Supplier<T> work) {
    enter();
    try {
      return work.get();
    } finally {
      inside.decrementAndGet();
    }
  }

  /** Runs {@code read} against a snapshot of the newest published position, while open. */
  <T> T onSnapshot(ProjectionStore store, Function<StoreSnapshot, T> read) {
    return whileOpen(
        () -> {
          try (StoreSnapshot snapshot = store.snapshot()) {
            return read.apply(snapshot);
          }
        });
  }

  /** Refuses every later call; returns false when it was shut already. */
  boolean shut() {
    boolean first = !shut;
    shut = true;
    return first;
  }

  boolean isShut() {
    return shut;
  }

  /** Calls inside the gate now. */
  int inside() {
    return inside.get();
  }

  private void enter() {
    inside.incrementAndGet();
    if (shut) {
      inside.decrementAndGet();
      throw new ClosedException("the database at " + dir + " is closed");
    }
  }
}
