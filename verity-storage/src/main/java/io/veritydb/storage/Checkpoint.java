package io.veritydb.storage;

import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;

/** A durable note that the log's chain at {@code position} was {@code chainHash}. */
public record Checkpoint(LogPosition position, ChainHash chainHash) {
  public Checkpoint {
    Checks.checkNotNull(position, "position");
    Checks.checkNotNull(chainHash, "chainHash");
  }
}
