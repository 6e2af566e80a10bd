package io.veritydb.storage;

import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;

/**
 * A chain mark: a durable note that the log's chain at {@code position} was {@code chainHash}, kept
 * in {@value ChainMarks#FILE_NAME} so that an open can hash the chain only from the last one.
 */
public record ChainMark(LogPosition position, ChainHash chainHash) {
  public ChainMark {
    Checks.checkNotNull(position, "position");
    Checks.checkNotNull(chainHash, "chainHash");
  }
}
