package io.veritydb.types;

/**
 * The database cannot serve the request now for a reason outside the request: an I/O error, a full
 * disk, a failed fsync, a queue at its limit. Whether a retry can succeed depends on the cause
 * named in the message.
 */
public class UnavailableException extends VerityException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
