package io.veritydb.kernel;

import io.veritydb.types.Checks;
import java.util.List;

/**
 * A secondary index of a table: its name (unique within the tenant), its number within the table
 * (part of every entry's key) and the ordinals of its columns in the table.
 */
public record IndexDef(String name, int id, List<Integer> columns) {
  public IndexDef {
    Checks.checkNotNull(name, "name");
    Checks.checkArgument(id > 0, "indexId", id);
    columns = List.copyOf(columns);
    Checks.checkArgument(!columns.isEmpty(), "an index needs at least one column");
  }
}
