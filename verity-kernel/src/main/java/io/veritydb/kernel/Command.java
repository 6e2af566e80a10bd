package io.veritydb.kernel;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deterministic command of the log. Once built it is well-formed (names present, shapes
 * consistent); whether the data accepts it is decided by {@link Kernel#apply}. Encoded by {@link
 * CommandCodec}.
 */
public sealed interface Command {
  /** The kinds of command, one per type: dispatch by {@code switch} over {@link #kind()}. */
  enum Kind {
    CREATE_TABLE,
    CREATE_INDEX,
    INSERT,
    UPDATE,
    DELETE,
    NOOP
  }

  /** This command's kind, fixed by its type. */
  Kind kind();

  /** {@code CREATE TABLE name (columns..., PRIMARY KEY (primaryKey...))}. */
  record CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey)
      implements Command {
    @Override
    public Kind kind() {
      return Kind.CREATE_TABLE;
    }

    public CreateTable {
      Checks.checkNotNull(name, "name");
      columns = List.copyOf(columns);
      primaryKey = List.copyOf(primaryKey);
    }
  }

  /** {@code CREATE INDEX name ON table (columns...)}. */
  record CreateIndex(String name, String table, List<String> columns) implements Command {
    @Override
    public Kind kind() {
      return Kind.CREATE_INDEX;
    }

    public CreateIndex {
      Checks.checkNotNull(name, "name");
      Checks.checkNotNull(table, "table");
      columns = List.copyOf(columns);
    }
  }

  /**
   * {@code INSERT INTO table (columns...) VALUES (row), (row)...}: all rows or none. An
   * executeBatch of many parameter rows is one Insert.
   */
  final class Insert implements Command {
    @Override
    public Kind kind() {
      return Kind.INSERT;
    }

    private final String table;
    private final List<String> columns;
    private final List<Object[]> rows;

    public Insert(String table, List<String> columns, List<Object[]> rows) {
      this.table = Checks.checkNotNull(table, "table");
      this.columns = List.copyOf(columns);
      List<Object[]> copy = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        Checks.checkArgument(
            row.length == this.columns.size(),
            "rowWidth",
            row.length,
            "columns",
            this.columns.size());
        copy.add(row.clone());
      }
      this.rows = copy;
    }

    public String table() {
      return table;
    }

    public List<String> columns() {
      return columns;
    }

    /** The rows; arrays are shared, do not modify them. */
    public List<Object[]> rows() {
      return java.util.Collections.unmodifiableList(rows);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Insert other)
          || !table.equals(other.table)
          || !columns.equals(other.columns)
          || rows.size() != other.rows.size()) {
        return false;
      }
      for (int i = 0; i < rows.size(); i++) {
        if (!Arrays.deepEquals(rows.get(i), other.rows.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return table.hashCode() * 31 + rows.size();
    }

    @Override
    public String toString() {
      return "Insert[" + table + " " + columns + " " + rows.size() + " rows]";
    }
  }

  /** {@code column = value} of an UPDATE; value is a literal, a parameter or a column. */
  record Assignment(String column, Expr value) {
    public Assignment {
      Checks.checkNotNull(column, "column");
      Checks.checkNotNull(value, "value");
    }
  }

  /** {@code UPDATE table SET assignments WHERE where} ({@link Expr#TRUE} without WHERE). */
  record Update(String table, List<Assignment> assignments, Expr where) implements Command {
    @Override
    public Kind kind() {
      return Kind.UPDATE;
    }

    public Update {
      Checks.checkNotNull(table, "table");
      assignments = List.copyOf(assignments);
      Checks.checkNotNull(where, "where");
    }
  }

  /** {@code DELETE FROM table WHERE where} ({@link Expr#TRUE} without WHERE). */
  record Delete(String table, Expr where) implements Command {
    @Override
    public Kind kind() {
      return Kind.DELETE;
    }

    public Delete {
      Checks.checkNotNull(table, "table");
      Checks.checkNotNull(where, "where");
    }
  }

  /** Changes nothing: a marker the runtime may log (for example to seal a checkpoint). */
  record Noop(String note) implements Command {
    @Override
    public Kind kind() {
      return Kind.NOOP;
    }

    public Noop {
      Checks.checkNotNull(note, "note");
    }
  }
}
