package io.veritydb.io;

import java.nio.ByteBuffer;

/** An open file: positional reads and writes, truncation and fsync. Not thread-safe for writes. */
public interface FileHandle extends AutoCloseable {
  /** The file's current size in bytes. */
  long size();

  /**
   * Reads into {@code target} from {@code offset} until the buffer is full or the end of the file
   * is reached; returns the number of bytes read (0 at or past the end).
   */
  int read(ByteBuffer target, long offset);

  /** Writes all remaining bytes of {@code source} at {@code offset}. */
  void write(ByteBuffer source, long offset);

  /** Shrinks the file to {@code size} bytes. */
  void truncate(long size);

  /** Makes every write so far durable (fsync / fdatasync). */
  void sync();

  /** Closes the handle; unsynced writes are not made durable by closing. */
  @Override
  void close();
}
