package io.veritydb.kernel;

import io.veritydb.store.WriteBatch;
import io.veritydb.types.Checks;

/**
 * What applying one command produced: the writes to apply at its position (empty when rejected;
 * apply it anyway so the position advances) and the reply for the caller.
 */
public final class Outcome {
  private final WriteBatch batch;
  private final Reply reply;

  Outcome(WriteBatch batch, Reply reply) {
    this.batch = Checks.checkNotNull(batch, "batch");
    this.reply = Checks.checkNotNull(reply, "reply");
    Checks.checkState(
        !(reply instanceof Reply.Rejected) || batch.isEmpty(), "a rejection writes nothing");
  }

  public WriteBatch batch() {
    return batch;
  }

  public Reply reply() {
    return reply;
  }

  @Override
  public String toString() {
    return "Outcome[" + reply + ", " + batch.size() + " writes]";
  }
}
