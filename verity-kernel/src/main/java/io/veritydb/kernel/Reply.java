package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.VerityException;

/** The kernel's answer to one command: applied with a row count, or rejected with a reason. */
public sealed interface Reply {
  /** The kinds of reply, one per type: dispatch by {@code switch} over {@link #kind()}. */
  enum Kind {
    APPLIED,
    REJECTED
  }

  Kind kind();

  /** The command changed the state; {@code rowsAffected} rows (0 for DDL). */
  record Applied(long rowsAffected) implements Reply {
    @Override
    public Kind kind() {
      return Kind.APPLIED;
    }
  }

  /** The command was rejected; it changed nothing, but it stays in the log's history. */
  record Rejected(Reason reason, String message) implements Reply {
    public Rejected {
      Checks.checkNotNull(reason, "reason");
      Checks.checkNotNull(message, "message");
    }

    @Override
    public Kind kind() {
      return Kind.REJECTED;
    }

    /** The exception a caller should see for this rejection. */
    public VerityException toException() {
      return reason == Reason.CONSTRAINT
          ? new ConstraintViolationException(message)
          : new BadRequestException(message);
    }
  }

  /** Why a command was rejected. */
  enum Reason {
    /** The data forbids it: duplicate key, NULL into NOT NULL, value out of range. */
    CONSTRAINT,
    /** The command does not fit the catalog: unknown table or column, type mismatch. */
    BAD_REQUEST
  }
}
