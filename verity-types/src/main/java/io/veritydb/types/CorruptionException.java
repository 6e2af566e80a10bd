package io.veritydb.types;

/**
 * Stored bytes are not what was written: a bad checksum, a broken hash chain, a missing file, a
 * page that does not verify. The message names the file, the offset and, where known, the log
 * position. Corrupt data is never returned as if it were valid.
 */
public class CorruptionException extends VerityException {
  private static final long serialVersionUID = 1L;

  public CorruptionException(String message) {
    super(message);
  }

  public CorruptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
