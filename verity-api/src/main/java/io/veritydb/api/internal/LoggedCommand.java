package io.veritydb.api.internal;

import io.veritydb.kernel.Command;

/**
 * What a command record of the log carries: a SQL command for the kernel, or a command the runtime
 * applies itself ({@link SystemCommand}). Dispatched by {@code switch} over {@link #kind()}, which
 * each record fixes, so a new kind of command fails to compile until every switch handles it.
 */
public sealed interface LoggedCommand permits LoggedCommand.Sql, SystemCommand {
  /** The kinds of logged command, one per record type. */
  enum Kind {
    SQL,
    AUDIT_READS,
    READ_EVENT,
    SHRED_TENANT
  }

  Kind kind();

  /** A command of the SQL kernel (DDL and DML). */
  record Sql(Command command) implements LoggedCommand {
    public Sql {
      io.veritydb.types.Checks.checkNotNull(command, "command");
    }

    @Override
    public Kind kind() {
      return Kind.SQL;
    }
  }
}
