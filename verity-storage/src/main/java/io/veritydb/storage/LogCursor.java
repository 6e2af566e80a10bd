package io.veritydb.storage;

/**
 * Iterates over committed records in position order. Not thread-safe; one cursor per thread.
 *
 * <pre>
 *   try (LogCursor c = log.iterate(from)) {
 *     while (c.next()) {
 *       LogRecord r = c.record();
 *     }
 *   }
 * </pre>
 */
public interface LogCursor extends AutoCloseable {
  /**
   * Moves to the next record; false at the end of the log as committed when this call is made.
   * Throws {@link io.veritydb.types.CorruptionException} on a damaged record.
   */
  boolean next();

  /** The current record; valid after {@link #next()} returned true. */
  LogRecord record();

  @Override
  void close();
}
