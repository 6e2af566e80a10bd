package io.veritydb.store;

/**
 * Iterates entries of a scan in key order. Call {@link #next()} first; {@link #key()} and {@link
 * #value()} describe the entry it moved to. Returned arrays belong to the caller.
 */
public interface StoreCursor extends AutoCloseable {
  boolean next();

  byte[] key();

  byte[] value();

  @Override
  void close();
}
