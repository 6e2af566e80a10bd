package io.veritydb.sim;

/**
 * The engine reported injected corruption with a clear error: correct behaviour, but the database
 * cannot go on (the corrupt record or page is real data loss), so the run stops here.
 */
final class Detected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Detected(String message) {
    super(message, null, false, false);
  }
}
