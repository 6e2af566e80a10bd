package io.veritydb.types;

/** The database, or the resource the call went through, has been closed. */
public class ClosedException extends VerityException {
  private static final long serialVersionUID = 1L;

  public ClosedException(String message) {
    super(message);
  }
}
