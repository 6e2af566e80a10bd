package io.veritydb.storage;

import io.veritydb.types.Checks;
import java.nio.file.Path;

/**
 * The first damage found in a log: which segment file, the byte offset in it, the log position
 * expected there, and why. A {@link Kind#TORN_TAIL} is an incomplete or invalid stretch at the very
 * end of the log with nothing valid after it (an interrupted append, repaired by truncation unless
 * the log is read-only); {@link Kind#CORRUPTION} is damage to data that was whole.
 */
public record Damage(Kind kind, Path segment, long offset, long position, String reason) {
  /** Torn tail or corruption. */
  public enum Kind {
    TORN_TAIL,
    CORRUPTION
  }

  public Damage {
    Checks.checkNotNull(kind, "kind");
    Checks.checkNotNull(reason, "reason");
  }

  /** A message naming the segment, offset and position. */
  public String describe() {
    return (kind == Kind.TORN_TAIL ? "torn tail" : "corruption")
        + " in log segment "
        + segment
        + " at byte offset "
        + offset
        + " (log position "
        + position
        + "): "
        + reason;
  }
}
