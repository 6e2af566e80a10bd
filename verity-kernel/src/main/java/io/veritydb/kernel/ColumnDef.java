package io.veritydb.kernel;

import io.veritydb.types.Checks;
import io.veritydb.types.SqlType;

/**
 * A column as declared: its name (lower case as the SQL front end normalises it), type and whether
 * it is NOT NULL. Primary key columns are always NOT NULL.
 */
public record ColumnDef(String name, SqlType type, boolean notNull) {
  public ColumnDef {
    Checks.checkNotNull(name, "name");
    Checks.checkNotNull(type, "type");
  }
}
