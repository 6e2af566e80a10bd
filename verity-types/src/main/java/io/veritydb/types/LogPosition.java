package io.veritydb.types;

/**
 * The position of a record in the log. Positions start at {@code 1} and have no gaps; {@link #NONE}
 * ({@code 0}) means "before the first record", the position of an empty log.
 */
public record LogPosition(long value) implements Comparable<LogPosition> {
  /** Before the first record: what an empty log or an empty store has applied. */
  public static final LogPosition NONE = new LogPosition(0);

  public LogPosition {
    if (value < 0) {
      throw new BadRequestException("log position must be >= 0, was " + value);
    }
  }

  public static LogPosition of(long value) {
    return value == 0 ? NONE : new LogPosition(value);
  }

  public LogPosition next() {
    return new LogPosition(Math.addExact(value, 1));
  }

  public boolean isAfter(LogPosition other) {
    return value > other.value;
  }

  public boolean isBefore(LogPosition other) {
    return value < other.value;
  }

  @Override
  public int compareTo(LogPosition other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "position " + value;
  }
}
