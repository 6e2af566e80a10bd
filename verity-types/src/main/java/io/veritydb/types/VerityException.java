package io.veritydb.types;

/**
 * The root of every failure VerityDB reports. Unchecked: callers catch the subclass that says what
 * they can do about it (fix the request, retry later, restore from backup).
 *
 * <p>Messages are written in the user's terms: which construct, which table, which key, which file
 * and offset.
 */
public class VerityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VerityException(String message) {
    super(message);
  }

  public VerityException(String message, Throwable cause) {
    super(message, cause);
  }
}
