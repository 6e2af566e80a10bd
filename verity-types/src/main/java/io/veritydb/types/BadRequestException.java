package io.veritydb.types;

/**
 * The request itself is wrong and retrying it unchanged will fail again: malformed or unsupported
 * SQL, an unknown table or column, a value of the wrong type, the wrong number of parameters, an
 * illegal argument to an API call.
 */
public class BadRequestException extends VerityException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }

  public BadRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
