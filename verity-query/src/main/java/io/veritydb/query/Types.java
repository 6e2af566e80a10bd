package io.veritydb.query;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.SqlType;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.statement.create.table.ColDataType;

/** Column type names of CREATE TABLE to {@link SqlType}. */
final class Types {
  private Types() {}

  static SqlType parse(ColDataType t, String column) {
    String name = t.getDataType().toUpperCase(Locale.ROOT).trim();
    List<String> args = t.getArgumentsStringList() == null ? List.of() : t.getArgumentsStringList();
    int paren = name.indexOf('(');
    if (paren >= 0) {
      if (args.isEmpty() && name.endsWith(")")) {
        args = List.of(name.substring(paren + 1, name.length() - 1).split(","));
      }
      name = name.substring(0, paren).trim();
    }
    if (t.getArrayData() != null && !t.getArrayData().isEmpty()) {
      throw new BadRequestException("array type of column " + column + " is not supported");
    }
    switch (name) {
      case "BIGINT", "INT8", "LONG" -> {
        return noArgs(SqlType.BIGINT, name, args, column);
      }
      case "INT", "INTEGER", "INT4" -> {
        return noArgs(SqlType.INT, name, args, column);
      }
      case "TEXT", "STRING", "CLOB" -> {
        return noArgs(SqlType.TEXT, name, args, column);
      }
      case "VARCHAR", "CHARACTER VARYING", "NVARCHAR" -> {
        if (args.size() != 1) {
          throw new BadRequestException(
              "VARCHAR of column " + column + " needs a length, e.g. VARCHAR(64)");
        }
        return SqlType.varchar(number(args.get(0), column));
      }
      case "BOOLEAN", "BOOL" -> {
        return noArgs(SqlType.BOOLEAN, name, args, column);
      }
      case "DECIMAL", "NUMERIC", "DEC" -> {
        if (args.isEmpty()) {
          return SqlType.decimal(SqlType.MAX_DECIMAL_PRECISION, 0);
        } else if (args.size() == 1) {
          return SqlType.decimal(number(args.get(0), column), 0);
        } else if (args.size() == 2) {
          return SqlType.decimal(number(args.get(0), column), number(args.get(1), column));
        }
        throw new BadRequestException("DECIMAL of column " + column + " takes (precision, scale)");
      }
      case "TIMESTAMP", "DATETIME" -> {
        return noArgs(SqlType.TIMESTAMP, name, List.of(), column);
      }
      case "BYTES", "BLOB", "BYTEA", "VARBINARY", "BINARY" -> {
        return noArgs(SqlType.BYTES, name, List.of(), column);
      }
      default ->
          throw new BadRequestException(
              "type "
                  + name
                  + " of column "
                  + column
                  + " is not supported (use BIGINT, INT, TEXT, VARCHAR(n), BOOLEAN, DECIMAL(p,s),"
                  + " TIMESTAMP or BYTES)");
    }
  }

  private static SqlType noArgs(SqlType type, String name, List<String> args, String column) {
    if (!args.isEmpty()) {
      throw new BadRequestException(name + " of column " + column + " takes no arguments");
    }
    return type;
  }

  private static int number(String s, String column) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "type argument " + s + " of column " + column + " is not a number", e);
    }
  }
}
