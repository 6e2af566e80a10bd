package io.veritydb.store;

/**
 * A stable view of the store at one position, safe to read from any thread while the writer applies
 * newer positions. Close it so the pages it pins can be reused.
 */
public interface StoreSnapshot extends StoreReader, AutoCloseable {
  @Override
  void close();
}
