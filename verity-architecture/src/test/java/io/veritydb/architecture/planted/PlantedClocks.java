package io.veritydb.architecture.planted;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.function.LongSupplier;

/** Pure code that reads a wall clock. */
public final class PlantedClocks {
  private PlantedClocks() {}

  /** Calls System.nanoTime. */
  public static final class NanoTime {
    static long now() {
      return System.nanoTime();
    }
  }

  /** Refers to System.currentTimeMillis by method reference. */
  public static final class MillisReference {
    static LongSupplier clock() {
      return System::currentTimeMillis;
    }
  }

  /** Calls Instant.now. */
  public static final class InstantNow {
    static Instant now() {
      return Instant.now();
    }
  }

  /** Calls LocalDateTime.now. */
  public static final class LocalDateTimeNow {
    static LocalDateTime now() {
      return LocalDateTime.now(java.time.ZoneOffset.UTC);
    }
  }

  /** Holds a Clock. */
  public static final class UsesClock {
    static long millis() {
      return Clock.systemUTC().millis();
    }
  }

  /** Takes an InstantSource: time must be passed in as a value, not a source to read. */
  public static final class UsesInstantSource {
    static Instant read(InstantSource source) {
      return source.instant();
    }
  }
}
