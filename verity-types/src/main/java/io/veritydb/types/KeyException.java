package io.veritydb.types;

/**
 * A key problem: the master key is missing or wrong, a tenant's data key has been destroyed
 * (crypto-shredded), or a ciphertext does not authenticate under the key it names.
 */
public class KeyException extends VerityException {
  private static final long serialVersionUID = 1L;

  public KeyException(String message) {
    super(message);
  }

  public KeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
