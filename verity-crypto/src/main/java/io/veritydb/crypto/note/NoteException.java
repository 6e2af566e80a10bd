package io.veritydb.crypto.note;

import io.veritydb.types.BadRequestException;

/**
 * A note, verifier key, checkpoint or proof that is malformed or does not verify. The message says
 * which line or field and why, in the terms of the C2SP specifications.
 */
public class NoteException extends BadRequestException {
  private static final long serialVersionUID = 1L;

  public NoteException(String message) {
    super(message);
  }
}
