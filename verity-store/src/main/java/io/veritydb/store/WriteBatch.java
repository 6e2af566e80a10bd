package io.veritydb.store;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The puts and deletes that one log position makes. When the same key appears twice, the later
 * write wins. A batch is applied whole or not at all.
 */
public final class WriteBatch {
  /** One write: a put of {@code value}, or a delete when {@code value} is null. */
  public static final class Write {
    private final byte[] key;
    private final byte[] value;

    Write(byte[] key, byte[] value) {
      this.key = key;
      this.value = value;
    }

    /** The key; the array is shared, do not modify it. */
    public byte[] key() {
      return key;
    }

    /** The value, null for a delete; the array is shared, do not modify it. */
    public byte[] value() {
      return value;
    }

    public boolean isDelete() {
      return value == null;
    }
  }

  private final List<Write> writes = new ArrayList<>();

  public WriteBatch put(byte[] key, byte[] value) {
    Checks.checkNotNull(key, "key");
    Checks.checkNotNull(value, "value");
    writes.add(new Write(key.clone(), value.clone()));
    return this;
  }

  public WriteBatch delete(byte[] key) {
    Checks.checkNotNull(key, "key");
    writes.add(new Write(key.clone(), null));
    return this;
  }

  /** The writes in the order they were made. */
  public List<Write> writes() {
    return Collections.unmodifiableList(writes);
  }

  public int size() {
    return writes.size();
  }

  public boolean isEmpty() {
    return writes.isEmpty();
  }
}
