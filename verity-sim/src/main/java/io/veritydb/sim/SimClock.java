package io.veritydb.sim;

import java.time.Instant;
import java.time.InstantSource;

/** The simulated wall clock: moves only when the simulator advances it. */
final class SimClock implements InstantSource {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private long micros;

  void advanceMicros(long delta) {
    micros = Math.addExact(micros, delta);
  }

  /** Simulated time elapsed since the start, in microseconds. */
  long elapsedMicros() {
    return micros;
  }

  @Override
  public Instant instant() {
    return START.plusNanos(micros * 1000);
  }
}
