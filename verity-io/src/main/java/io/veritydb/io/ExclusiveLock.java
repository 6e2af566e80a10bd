package io.veritydb.io;

/** An exclusive lock taken by {@link FileIo#lock}; {@link #close()} releases it. */
public interface ExclusiveLock extends AutoCloseable {
  /** The locked file. */
  java.nio.file.Path file();

  /** Releases the lock; idempotent. */
  @Override
  void close();
}
