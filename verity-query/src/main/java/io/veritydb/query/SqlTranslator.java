package io.veritydb.query;

import io.veritydb.kernel.ColumnDef;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.Expr;
import io.veritydb.kernel.Exprs;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.SqlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/** SQL text to {@link Stmt}: parse with JSqlParser, then keep only the supported subset. */
final class SqlTranslator {
  private SqlTranslator() {}

  private static final Pattern POSITION =
      Pattern.compile("Encountered unexpected token:\\s*(.*?)\\s+at line (\\d+), column (\\d+)");

  /** The longest SQL text accepted. */
  static final int MAX_SQL_LENGTH = 1 << 20;

  /** The deepest nesting of parentheses accepted. */
  static final int MAX_NESTING = 32;

  /** The translated statement and how many ? parameters it has. */
  record Result(Stmt stmt, int parameterCount) {}

  /**
   * Translates one SQL statement. The text holds exactly one statement, optionally ended by one
   * {@code ;} followed only by whitespace and comments ({@code --} to the end of the line, or
   * between slash-star and star-slash). Anything else after a {@code ;} (another statement, a
   * second {@code ;}, garbage) is refused with a {@link BadRequestException} naming its text and
   * offset: nothing of the text is ever ignored. A {@code ;} inside a string literal, a quoted name
   * or a comment does not end the statement.
   */
  static Result translate(String sql) {
    Statement st = parse(sql);
    if (st instanceof CreateTable ct) {
      return new Result(new Stmt.Ddl(createTable(ct)), 0);
    } else if (st instanceof CreateIndex ci) {
      return new Result(new Stmt.Ddl(createIndex(ci)), 0);
    } else if (st instanceof Insert ins) {
      return insert(ins);
    } else if (st instanceof Update up) {
      return update(up);
    } else if (st instanceof Delete del) {
      return delete(del);
    } else if (st instanceof ExplainStatement ex) {
      if (ex.getStatement() == null) {
        throw new BadRequestException("EXPLAIN needs a SELECT");
      }
      Result r = SelectTranslator.select(ex.getStatement());
      return new Result(new Stmt.Explain((Stmt.Select) r.stmt()), r.parameterCount());
    } else if (st instanceof Select sel) {
      return SelectTranslator.select(sel);
    }
    throw new BadRequestException(statementName(st) + " is not supported");
  }

  private static String statementName(Statement st) {
    String name = st.getClass().getSimpleName();
    String first = st.toString().trim().split("\\s+", 3)[0].toUpperCase(Locale.ROOT);
    return switch (name) {
      case "Drop" -> "DROP";
      case "Alter", "AlterView", "AlterSequence" -> "ALTER";
      case "Truncate" -> "TRUNCATE";
      case "Commit", "RollbackStatement", "SavepointStatement" -> "transaction control " + first;
      default -> "statement " + first;
    };
  }

  static Statement parse(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new BadRequestException("empty SQL");
    }
    if (sql.length() > MAX_SQL_LENGTH) {
      throw new BadRequestException(
          "SQL text too long: "
              + sql.length()
              + " characters, at most "
              + MAX_SQL_LENGTH
              + " (use ? parameters and executeBatch for bulk data)");
    }
    int depth = CCJSqlParserUtil.getNestingDepth(sql);
    if (depth > MAX_NESTING) {
      throw new BadRequestException(
          "SQL nested too deeply: " + depth + " levels of parentheses, at most " + MAX_NESTING);
    }
    try {
      // Complex parsing (JSqlParser's default) backtracks exponentially on nested parentheses:
      // 10 levels take seconds. The subset needs none of what it adds.
      CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false);
      Statement st = parser.Statement();
      requireEnd(sql, parser);
      return st;
    } catch (ParseException e) {
      throw new BadRequestException(describe(sql, e.getMessage()), e);
    } catch (TokenMgrException e) {
      throw new BadRequestException("malformed SQL: " + firstLine(e.getMessage()), e);
    } catch (StackOverflowError e) {
      // JSqlParser descends recursively; absurdly deep nesting must not kill the caller's thread.
      throw new BadRequestException("SQL nested too deeply to parse", e);
    }
  }

  /** The longest part of a refused second statement quoted in the message. */
  static final int QUOTED_STATEMENT = 80;

  /**
   * Refuses text after the statement the parser read (which consumed the {@code ;} that ends it, if
   * any): only the end of the input, with comments and whitespace, may follow.
   */
  private static void requireEnd(String sql, CCJSqlParser parser) {
    Token last = parser.getToken(0);
    int at;
    try {
      Token next = parser.getToken(1);
      if (next.kind == CCJSqlParserConstants.EOF) {
        return;
      }
      at = offset(sql, next.beginLine, next.beginColumn);
    } catch (TokenMgrException unreadable) {
      // What follows cannot even be split into tokens: it starts after the last token read.
      at = offset(sql, last.endLine, last.endColumn) + 1;
      while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
        at++;
      }
    }
    String rest = sql.substring(at).strip().replaceAll("\\s+", " ");
    if (rest.length() > QUOTED_STATEMENT) {
      rest = rest.substring(0, QUOTED_STATEMENT - 3) + "...";
    }
    throw new BadRequestException(
        "execute and query take one SQL statement, but a second one follows at offset "
            + at
            + ": "
            + rest
            + " (send each statement in its own call)");
  }

  /**
   * The offset in {@code sql} of a parser position: 1-based line and column, lines ended by \n,
   * \r\n or \r, columns counted in chars (a tab is one).
   */
  static int offset(String sql, int line, int column) {
    int i = 0;
    int l = 1;
    while (l < line && i < sql.length()) {
      char c = sql.charAt(i++);
      if (c == '\n' || (c == '\r' && (i == sql.length() || sql.charAt(i) != '\n'))) {
        l++;
      }
    }
    return Math.max(0, Math.min(sql.length(), i + column - 1));
  }

  static String describe(String sql, String message) {
    String m = message == null ? "" : message;
    Matcher matcher = POSITION.matcher(m);
    if (matcher.find()) {
      String token = matcher.group(1).replaceAll("\\s*<[A-Z_]+>\\s*$", "").trim();
      if (token.startsWith("<EOF>") || token.isEmpty()) {
        token = "end of statement";
      }
      return "malformed SQL at line "
          + matcher.group(2)
          + ", column "
          + matcher.group(3)
          + ": unexpected "
          + token.replaceAll("\\s+\"[^\"]*\"$", "")
          + " in: "
          + sql.trim();
    }
    return "malformed SQL: " + firstLine(m) + " in: " + sql.trim();
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Fails with {@code message} when {@code present}: a clause outside the subset. */
  static void refuse(boolean present, String message) {
    if (present) {
      throw new BadRequestException(message);
    }
  }

  /** Whether a clause's list is there and holds anything. */
  static boolean any(List<?> clause) {
    return clause != null && !clause.isEmpty();
  }

  static String tableName(net.sf.jsqlparser.schema.Table t) {
    if (t.getSchemaName() != null) {
      throw new BadRequestException(
          "schema-qualified table " + t.getFullyQualifiedName() + " is not supported");
    }
    return Names.normalize(t.getName());
  }

  private static Command createTable(CreateTable ct) {
    if (ct.getSelect() != null) {
      throw new BadRequestException("CREATE TABLE ... AS SELECT is not supported");
    }
    if (ct.isIfNotExists()) {
      throw new BadRequestException("CREATE TABLE IF NOT EXISTS is not supported");
    }
    if (ct.getColumnDefinitions() == null || ct.getColumnDefinitions().isEmpty()) {
      throw new BadRequestException("CREATE TABLE needs at least one column");
    }
    String table = tableName(ct.getTable());
    List<ColumnDef> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    for (ColumnDefinition cd : ct.getColumnDefinitions()) {
      String name = Names.normalize(cd.getColumnName());
      SqlType type = Types.parse(cd.getColDataType(), name);
      String specs =
          cd.getColumnSpecs() == null
              ? ""
              : String.join(" ", cd.getColumnSpecs()).toUpperCase(Locale.ROOT);
      boolean notNull = false;
      String rest = specs;
      if (rest.contains("PRIMARY KEY")) {
        pk.add(name);
        rest = rest.replace("PRIMARY KEY", " ");
      }
      if (rest.contains("NOT NULL")) {
        notNull = true;
        rest = rest.replace("NOT NULL", " ");
      }
      rest = rest.replace("NULL", " ").trim();
      if (!rest.isEmpty()) {
        throw new BadRequestException(
            "column option " + rest + " (column " + name + ") is not supported");
      }
      cols.add(new ColumnDef(name, type, notNull));
    }
    if (ct.getIndexes() != null) {
      for (Index ix : ct.getIndexes()) {
        String type = ix.getType() == null ? "" : ix.getType().toUpperCase(Locale.ROOT);
        if (!type.equals("PRIMARY KEY")) {
          throw new BadRequestException(type + " constraint in CREATE TABLE is not supported");
        }
        if (!pk.isEmpty()) {
          throw new BadRequestException("table " + table + " declares its PRIMARY KEY twice");
        }
        for (String c : ix.getColumnsNames()) {
          pk.add(Names.normalize(c));
        }
      }
    }
    if (ct.getTableOptionsStrings() != null && !ct.getTableOptionsStrings().isEmpty()) {
      throw new BadRequestException(
          "table options " + String.join(" ", ct.getTableOptionsStrings()) + " are not supported");
    }
    if (pk.isEmpty()) {
      throw new BadRequestException("table " + table + " needs a PRIMARY KEY");
    }
    return new Command.CreateTable(table, cols, pk);
  }

  private static Command createIndex(CreateIndex ci) {
    Index ix = ci.getIndex();
    if (ix.getType() != null && !ix.getType().isBlank()) {
      throw new BadRequestException(
          ix.getType().toUpperCase(Locale.ROOT) + " indexes are not supported");
    }
    List<String> cols = new ArrayList<>();
    for (String c : ix.getColumnsNames()) {
      cols.add(Names.normalize(c));
    }
    return new Command.CreateIndex(Names.normalize(ix.getName()), tableName(ci.getTable()), cols);
  }

  private static Result insert(Insert ins) {
    if (ins.getDuplicateUpdateSets() != null
        || ins.getConflictAction() != null
        || ins.getReturningClause() != null
        || ins.getSetUpdateSets() != null) {
      throw new BadRequestException(
          "INSERT extensions (ON CONFLICT, RETURNING, SET) are not supported");
    }
    String table = tableName(ins.getTable());
    if (!(ins.getSelect() instanceof Values values)) {
      throw new BadRequestException("INSERT ... SELECT is not supported; use VALUES");
    }
    List<String> cols = new ArrayList<>();
    if (ins.getColumns() != null) {
      for (Column c : ins.getColumns()) {
        cols.add(Names.normalize(c.getColumnName()));
      }
    }
    ExprTranslator t = new ExprTranslator(table, table);
    ExpressionList<?> exprs = values.getExpressions();
    List<List<Expr>> rows = new ArrayList<>();
    if (exprs instanceof ParenthesedExpressionList<?>) {
      rows.add(row(t, exprs, 1));
    } else {
      int n = 0;
      for (Expression e : exprs) {
        n++;
        rows.add(
            e instanceof ExpressionList<?> list ? row(t, list, n) : List.of(t.value(e, "value")));
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      int width = cols.isEmpty() ? rows.get(0).size() : cols.size();
      if (rows.get(i).size() != width) {
        throw new BadRequestException(
            "INSERT row "
                + (i + 1)
                + " has "
                + rows.get(i).size()
                + " values but "
                + width
                + " columns are named");
      }
    }
    return new Result(new Stmt.Insert(table, cols, rows), t.parameterCount());
  }

  private static List<Expr> row(ExprTranslator t, ExpressionList<?> list, int n) {
    List<Expr> row = new ArrayList<>();
    for (Expression e : list) {
      row.add(t.value(e, "INSERT row " + n + " value"));
    }
    return row;
  }

  private static Result update(Update up) {
    refuse(any(up.getJoins()) || any(up.getStartJoins()), "JOIN is not supported");
    refuse(up.getFromItem() != null, "UPDATE ... FROM is not supported");
    refuseOrderLimitReturning(
        "UPDATE", up.getOrderByElements(), up.getLimit(), up.getReturningClause());
    String table = tableName(up.getTable());
    ExprTranslator t = ExprTranslator.forTable(table, up.getTable());
    List<Command.Assignment> as = new ArrayList<>();
    for (UpdateSet set : up.getUpdateSets()) {
      if (set.getColumns().size() != set.getValues().size()) {
        throw new BadRequestException("SET lists " + set + " do not match");
      }
      for (int i = 0; i < set.getColumns().size(); i++) {
        String col = Names.normalize(set.getColumn(i).getColumnName());
        Expr v = t.convert(set.getValue(i));
        if (!Exprs.isValue(v)) {
          throw new BadRequestException(
              "SET "
                  + col
                  + " = "
                  + set.getValue(i)
                  + ": only values, ? parameters, columns and + - * are allowed");
        }
        as.add(new Command.Assignment(col, v));
      }
    }
    Expr where = up.getWhere() == null ? Expr.TRUE : t.convert(up.getWhere());
    return new Result(new Stmt.Update(table, as, where), t.parameterCount());
  }

  /**
   * Refuses the ORDER BY, LIMIT and RETURNING clauses of an UPDATE or DELETE ({@code statement}).
   */
  private static void refuseOrderLimitReturning(
      String statement, List<?> orderBy, Object limit, Object returning) {
    if (orderBy != null || limit != null) {
      throw new BadRequestException("ORDER BY and LIMIT in " + statement + " are not supported");
    }
    refuse(returning != null, "RETURNING is not supported");
  }

  private static Result delete(Delete del) {
    refuse(
        any(del.getJoins()) || any(del.getUsingList()) || any(del.getTables()),
        "JOIN is not supported");
    refuseOrderLimitReturning(
        "DELETE", del.getOrderByElements(), del.getLimit(), del.getReturningClause());
    String table = tableName(del.getTable());
    ExprTranslator t = ExprTranslator.forTable(table, del.getTable());
    Expr where = del.getWhere() == null ? Expr.TRUE : t.convert(del.getWhere());
    return new Result(new Stmt.Delete(table, where), t.parameterCount());
  }
}
