package io.veritydb.io;

/** A lock taken by {@link FileIo#lock}; {@link #close()} releases it. */
public interface HeldLock extends AutoCloseable {
  /** How a file is locked. */
  enum Mode {
    /** One holder: a writer. */
    EXCLUSIVE,
    /** Readers, and no writer meanwhile. */
    SHARED
  }

  /** The locked file. */
  java.nio.file.Path file();

  /** Releases the lock; idempotent. */
  @Override
  void close();
}
