package io.veritydb.query;

import io.veritydb.kernel.Command;
import io.veritydb.kernel.Expr;
import java.util.List;

/**
 * A parsed statement of the subset, before binding: names are normalised (lower case) and
 * parameters are {@link Expr.Param} nodes numbered in textual order.
 */
sealed interface Stmt {

  /** DDL needs no binding: the command is complete. */
  record Ddl(Command command) implements Stmt {}

  /** INSERT: each row is a list of literal or parameter expressions. */
  record Insert(String table, List<String> columns, List<List<Expr>> rows) implements Stmt {
    public Insert {
      columns = List.copyOf(columns);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  record Update(String table, List<Command.Assignment> assignments, Expr where) implements Stmt {
    public Update {
      assignments = List.copyOf(assignments);
    }
  }

  record Delete(String table, Expr where) implements Stmt {}

  /** One ORDER BY term. */
  record OrderItem(String column, boolean descending) {}

  /** One select-list item: a column and the name it is shown under. */
  record Item(String column, String label) {}

  /**
   * SELECT: {@code items} empty means {@code *}; {@code limit}/{@code offset} are literal or
   * parameter expressions, or null.
   */
  record Select(
      String table, List<Item> items, Expr where, List<OrderItem> orderBy, Expr limit, Expr offset)
      implements Stmt {}

  record Explain(Select select) implements Stmt {}
}
