package io.veritydb.types;

/**
 * A well-formed command that the data rejects: a duplicate or missing primary key, NULL into a NOT
 * NULL column, a string longer than its VARCHAR, a decimal beyond its precision. The rejection is
 * deterministic and is itself part of the log's history.
 */
public class ConstraintViolationException extends VerityException {
  private static final long serialVersionUID = 1L;

  public ConstraintViolationException(String message) {
    super(message);
  }
}
