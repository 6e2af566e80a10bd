package io.veritydb.query;

import static io.veritydb.query.SqlTranslator.any;
import static io.veritydb.query.SqlTranslator.refuse;

import io.veritydb.kernel.Expr;
import io.veritydb.types.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;

/**
 * SELECT of one table: columns or *, WHERE, ORDER BY, LIMIT, OFFSET; the rest named and refused.
 */
final class SelectTranslator {
  private SelectTranslator() {}

  static SqlTranslator.Result select(Select sel) {
    if (sel.getWithItemsList() != null && !sel.getWithItemsList().isEmpty()) {
      throw new BadRequestException("WITH (common table expressions) is not supported");
    }
    if (sel instanceof SetOperationList set) {
      String op =
          set.getOperations().isEmpty()
              ? "UNION"
              : set.getOperations().get(0).toString().toUpperCase(Locale.ROOT);
      throw new BadRequestException(op + " is not supported");
    }
    if (sel instanceof ParenthesedSelect) {
      throw new BadRequestException("a parenthesised SELECT (subquery) is not supported");
    }
    if (sel instanceof Values) {
      throw new BadRequestException("VALUES as a query is not supported");
    }
    if (!(sel instanceof PlainSelect ps)) {
      throw new BadRequestException("this form of SELECT is not supported");
    }
    refuseExtras(ps);
    if (ps.getFromItem() == null) {
      throw new BadRequestException("SELECT without FROM is not supported");
    }
    if (!(ps.getFromItem() instanceof Table from)) {
      throw new BadRequestException(
          ps.getFromItem() instanceof Select
              ? "subquery in FROM is not supported"
              : "FROM " + ps.getFromItem() + " is not supported (one table only)");
    }
    String table = SqlTranslator.tableName(from);
    ExprTranslator t = ExprTranslator.forTable(table, from);
    List<Stmt.Item> items = new ArrayList<>();
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (e instanceof AllColumns) {
        items.add(new Stmt.Item("*", "*"));
      } else if (e instanceof Column c) {
        Expr x = t.convert(c);
        if (!(x instanceof Expr.Column col)) {
          throw new BadRequestException("constant " + c + " in the select list is not supported");
        }
        String label =
            item.getAlias() == null ? col.name() : Names.normalize(item.getAlias().getName());
        items.add(new Stmt.Item(col.name(), label));
      } else {
        throw ExprTranslator.unsupported(e);
      }
    }
    Expr where = ps.getWhere() == null ? Expr.TRUE : t.convert(ps.getWhere());
    List<Stmt.OrderItem> order = new ArrayList<>();
    if (ps.getOrderByElements() != null) {
      for (OrderByElement o : ps.getOrderByElements()) {
        if (o.getNullOrdering() != null) {
          throw new BadRequestException("NULLS FIRST / NULLS LAST is not supported");
        }
        if (!(o.getExpression() instanceof Column c)
            || !(t.convert(c) instanceof Expr.Column col)) {
          throw new BadRequestException(
              "ORDER BY " + o.getExpression() + " is not supported (order by column names)");
        }
        order.add(new Stmt.OrderItem(col.name(), !o.isAsc()));
      }
    }
    Expr limit = null;
    Expr offset = null;
    Limit lim = ps.getLimit();
    if (lim != null) {
      if (lim.getOffset() != null) {
        offset = t.value(lim.getOffset(), "OFFSET");
      }
      if (lim.getRowCount() != null
          && !(lim.getRowCount() instanceof net.sf.jsqlparser.expression.NullValue)
          && !(lim.getRowCount() instanceof net.sf.jsqlparser.expression.AllValue)) {
        limit = t.value(lim.getRowCount(), "LIMIT");
      }
    }
    if (ps.getOffset() != null) {
      if (offset != null) {
        throw new BadRequestException("OFFSET given twice");
      }
      offset = t.value(ps.getOffset().getOffset(), "OFFSET");
    }
    return new SqlTranslator.Result(
        new Stmt.Select(table, items, where, order, limit, offset), t.parameterCount());
  }

  private static void refuseExtras(PlainSelect ps) {
    refuse(ps.getDistinct() != null, "DISTINCT is not supported");
    refuse(any(ps.getJoins()), "JOIN is not supported");
    refuse(ps.getGroupBy() != null, "GROUP BY is not supported");
    refuse(ps.getHaving() != null, "HAVING is not supported");
    refuse(any(ps.getWindowDefinitions()), "WINDOW is not supported");
    refuse(any(ps.getIntoTables()), "SELECT INTO is not supported");
    refuse(ps.getTop() != null, "TOP is not supported; use LIMIT");
    refuse(ps.getFetch() != null, "FETCH FIRST is not supported; use LIMIT");
    refuse(
        ps.getForMode() != null || ps.getForUpdateTable() != null,
        "SELECT ... FOR UPDATE is not supported");
    refuse(ps.getQualify() != null, "QUALIFY is not supported");
    refuse(any(ps.getLateralViews()), "LATERAL VIEW is not supported");
  }
}
