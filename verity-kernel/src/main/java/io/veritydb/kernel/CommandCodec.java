package io.veritydb.kernel;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Commands to bytes and back, for the log payload. Explicit little-endian, versioned.
 *
 * <pre>
 * command    := [version u8 = 1][kind u8] body
 * CREATE_TABLE  name, varint n, n x (name, type, notNull u8), varint k, k x pk column name
 * CREATE_INDEX  name, table, varint n, n x column name
 * INSERT        table, varint n, n x column, varint r, r x n x value
 * UPDATE        table, varint n, n x (column, expr), expr
 * DELETE        table, expr
 * NOOP          note
 * string     := varint length, UTF-8 bytes
 * type       := kind u8, length varint, precision u8, scale u8
 * value      := tag u8: 0 NULL | 1 Long i64 | 2 Integer i32 | 3 String string | 4 Boolean u8
 *             | 5 BigDecimal scale i32, varint n, unscaled BE | 6 Instant i64 s, i32 nanos
 *             | 7 byte[] varint n, bytes
 * expr       := varint count, count x node in post-order:
 *               0 literal value | 1 param varint | 2 column string | 3 compare op u8
 *             | 4 in varint items | 5 between | 6 is-null negated u8 | 7 and | 8 or | 9 not
 *             | 10 arithmetic op u8 (0 +, 1 -, 2 *)
 * </pre>
 */
public final class CommandCodec {
  private CommandCodec() {}

  static final int VERSION = 1;
  static final int MAX_ROWS = 1_000_000;

  private static final int CREATE_TABLE = 1;
  private static final int CREATE_INDEX = 2;
  private static final int INSERT = 3;
  private static final int UPDATE = 4;
  private static final int DELETE = 5;
  private static final int NOOP = 6;

  public static byte[] encode(Command command) {
    ByteWriter w = new ByteWriter(64);
    w.u8(VERSION);
    if (command instanceof Command.CreateTable c) {
      w.u8(CREATE_TABLE).string(c.name()).varint(c.columns().size());
      for (ColumnDef col : c.columns()) {
        w.string(col.name());
        type(w, col.type());
        w.u8(col.notNull() ? 1 : 0);
      }
      strings(w, c.primaryKey());
    } else if (command instanceof Command.CreateIndex c) {
      w.u8(CREATE_INDEX).string(c.name()).string(c.table());
      strings(w, c.columns());
    } else if (command instanceof Command.Insert c) {
      w.u8(INSERT).string(c.table());
      strings(w, c.columns());
      w.varint(c.rows().size());
      for (Object[] row : c.rows()) {
        for (Object v : row) {
          value(w, v);
        }
      }
    } else if (command instanceof Command.Update c) {
      w.u8(UPDATE).string(c.table()).varint(c.assignments().size());
      for (Command.Assignment a : c.assignments()) {
        w.string(a.column());
        expr(w, a.value());
      }
      expr(w, c.where());
    } else if (command instanceof Command.Delete c) {
      w.u8(DELETE).string(c.table());
      expr(w, c.where());
    } else if (command instanceof Command.Noop c) {
      w.u8(NOOP).string(c.note());
    } else {
      throw new IllegalArgumentException("unknown command " + command);
    }
    return w.toByteArray();
  }

  /**
   * Decodes a command. Bytes that are not one (truncated, trailing bytes, an unknown version, kind,
   * type, tag or operator, a count beyond its limit or the bytes left, a column type its kind does
   * not allow, a timestamp outside {@link Instant}'s range, a malformed expression) are a {@link
   * CorruptionException} whose message starts with "command"; the caller adds which log record.
   */
  public static Command decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, "command");
    r.version(VERSION);
    int kind = r.u8();
    Command c;
    switch (kind) {
      case CREATE_TABLE -> {
        String name = r.string();
        int n = r.count(TableDef.MAX_COLUMNS);
        List<ColumnDef> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          cols.add(new ColumnDef(r.string(), type(r), r.u8() == 1));
        }
        c = new Command.CreateTable(name, cols, strings(r));
      }
      case CREATE_INDEX -> c = new Command.CreateIndex(r.string(), r.string(), strings(r));
      case INSERT -> {
        String table = r.string();
        List<String> cols = strings(r);
        int rows = r.count(MAX_ROWS);
        List<Object[]> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
          Object[] row = new Object[cols.size()];
          for (int j = 0; j < row.length; j++) {
            row[j] = value(r);
          }
          out.add(row);
        }
        c = new Command.Insert(table, cols, out);
      }
      case UPDATE -> {
        String table = r.string();
        int n = r.count(TableDef.MAX_COLUMNS);
        List<Command.Assignment> as = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          as.add(new Command.Assignment(r.string(), expr(r)));
        }
        c = new Command.Update(table, as, expr(r));
      }
      case DELETE -> c = new Command.Delete(r.string(), expr(r));
      case NOOP -> c = new Command.Noop(r.string());
      default -> throw new CorruptionException("command: unknown kind " + kind);
    }
    r.expectEnd();
    return c;
  }

  private static void strings(ByteWriter w, List<String> list) {
    w.varint(list.size());
    for (String s : list) {
      w.string(s);
    }
  }

  private static List<String> strings(ByteReader r) {
    int n = r.count(TableDef.MAX_COLUMNS);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.string());
    }
    return out;
  }

  static void type(ByteWriter w, SqlType t) {
    w.u8(code(KINDS, t.kind())).varint(t.length()).u8(t.precision()).u8(t.scale());
  }

  /** Stable on-disk codes of the SQL type kinds (never reorder). */
  private static final SqlType.Kind[] KINDS = {
    SqlType.Kind.BIGINT,
    SqlType.Kind.INT,
    SqlType.Kind.TEXT,
    SqlType.Kind.VARCHAR,
    SqlType.Kind.BOOLEAN,
    SqlType.Kind.DECIMAL,
    SqlType.Kind.TIMESTAMP,
    SqlType.Kind.BYTES
  };

  /** Stable on-disk codes of the comparison operators (never reorder). */
  private static final Expr.CmpOp[] OPS = {
    Expr.CmpOp.EQ, Expr.CmpOp.NE, Expr.CmpOp.LT, Expr.CmpOp.LE, Expr.CmpOp.GT, Expr.CmpOp.GE
  };

  /** Stable on-disk codes of the arithmetic operators (never reorder). */
  private static final Expr.ArithOp[] ARITH = {
    Expr.ArithOp.ADD, Expr.ArithOp.SUB, Expr.ArithOp.MUL
  };

  /** The stable on-disk code of {@code value}: its index in {@code codes}. */
  private static <T extends Enum<T>> int code(T[] codes, T value) {
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] == value) {
        return i;
      }
    }
    throw new IllegalStateException("no code for " + value);
  }

  /**
   * The constant whose code {@code r} reads next; a code outside {@code codes} is a {@link
   * CorruptionException} naming the unknown {@code what}.
   */
  private static <T extends Enum<T>> T decodeCode(ByteReader r, T[] codes, String what) {
    int code = r.u8();
    if (code >= codes.length) {
      throw new CorruptionException("command: unknown " + what + " " + code);
    }
    return codes[code];
  }

  /**
   * Reads a column type; an unknown kind, or a length, precision or scale the kind does not allow,
   * is a {@link CorruptionException} naming what {@code r} reads.
   */
  static SqlType type(ByteReader r) {
    int k = r.u8();
    if (k >= KINDS.length) {
      throw r.corrupt("unknown SQL type kind " + k);
    }
    int length = r.varint();
    int precision = r.u8();
    int scale = r.u8();
    try {
      return new SqlType(KINDS[k], length, precision, scale);
    } catch (BadRequestException e) {
      throw r.corrupt("invalid column type: " + e.getMessage());
    }
  }

  static void value(ByteWriter w, Object v) {
    if (v == null) {
      w.u8(0);
    } else if (v instanceof Long x) {
      w.u8(1).i64(x);
    } else if (v instanceof Integer x) {
      w.u8(2).i32(x);
    } else if (v instanceof String x) {
      w.u8(3).string(x);
    } else if (v instanceof Boolean x) {
      w.u8(4).u8(x ? 1 : 0);
    } else if (v instanceof BigDecimal x) {
      w.u8(5).i32(x.scale()).bytes(x.unscaledValue().toByteArray());
    } else if (v instanceof Instant x) {
      w.u8(6).i64(x.getEpochSecond()).i32(x.getNano());
    } else if (v instanceof byte[] x) {
      w.u8(7).bytes(x);
    } else {
      throw new IllegalArgumentException("not a SQL value: " + v.getClass().getName());
    }
  }

  static Object value(ByteReader r) {
    int tag = r.u8();
    switch (tag) {
      case 0 -> {
        return null;
      }
      case 1 -> {
        return r.i64();
      }
      case 2 -> {
        return r.i32();
      }
      case 3 -> {
        return r.string();
      }
      case 4 -> {
        return r.u8() == 1;
      }
      case 5 -> {
        int scale = r.i32();
        byte[] unscaled = r.bytes();
        if (unscaled.length == 0) {
          throw new CorruptionException("command: empty decimal");
        }
        return new BigDecimal(new BigInteger(unscaled), scale);
      }
      case 6 -> {
        return r.instant();
      }
      case 7 -> {
        return r.bytes();
      }
      default -> throw new CorruptionException("command: unknown value tag " + tag);
    }
  }

  static void expr(ByteWriter w, Expr root) {
    List<Expr> nodes = Exprs.postOrder(root);
    w.varint(nodes.size());
    for (Expr n : nodes) {
      if (n instanceof Expr.Literal l) {
        w.u8(0);
        value(w, l.value());
      } else if (n instanceof Expr.Param p) {
        w.u8(1).varint(p.index());
      } else if (n instanceof Expr.Column c) {
        w.u8(2).string(c.name());
      } else if (n instanceof Expr.Compare c) {
        w.u8(3).u8(code(OPS, c.op()));
      } else if (n instanceof Expr.InList in) {
        w.u8(4).varint(in.items().size());
      } else if (n instanceof Expr.Between) {
        w.u8(5);
      } else if (n instanceof Expr.IsNull x) {
        w.u8(6).u8(x.negated() ? 1 : 0);
      } else if (n instanceof Expr.And) {
        w.u8(7);
      } else if (n instanceof Expr.Or) {
        w.u8(8);
      } else if (n instanceof Expr.Arith a) {
        w.u8(10).u8(code(ARITH, a.op()));
      } else {
        w.u8(9);
      }
    }
  }

  static Expr expr(ByteReader r) {
    int count = r.count(Exprs.MAX_NODES);
    Deque<Expr> stack = new ArrayDeque<>();
    for (int i = 0; i < count; i++) {
      int kind = r.u8();
      Expr e;
      switch (kind) {
        case 0 -> e = new Expr.Literal(value(r));
        case 1 -> e = new Expr.Param(r.varint());
        case 2 -> e = new Expr.Column(r.string());
        case 3 -> {
          Expr.CmpOp op = decodeCode(r, OPS, "comparison");
          Expr right = pop(stack);
          e = new Expr.Compare(op, pop(stack), right);
        }
        case 4 -> {
          int n = r.varint();
          if (n == 0 || n >= stack.size() + 1) {
            throw new CorruptionException("command: bad IN list of " + n + " values");
          }
          Expr[] items = new Expr[n];
          for (int j = n - 1; j >= 0; j--) {
            items[j] = pop(stack);
          }
          e = new Expr.InList(pop(stack), List.of(items));
        }
        case 5 -> {
          Expr high = pop(stack);
          Expr low = pop(stack);
          e = new Expr.Between(pop(stack), low, high);
        }
        case 6 -> e = new Expr.IsNull(pop(stack), r.u8() == 1);
        case 7 -> {
          Expr right = pop(stack);
          e = new Expr.And(pop(stack), right);
        }
        case 8 -> {
          Expr right = pop(stack);
          e = new Expr.Or(pop(stack), right);
        }
        case 9 -> e = new Expr.Not(pop(stack));
        case 10 -> {
          Expr.ArithOp op = decodeCode(r, ARITH, "arithmetic operator");
          Expr right = pop(stack);
          e = new Expr.Arith(op, pop(stack), right);
        }
        default -> throw new CorruptionException("command: unknown expression node " + kind);
      }
      stack.push(e);
    }
    if (stack.size() != 1) {
      throw new CorruptionException("command: malformed expression");
    }
    return stack.pop();
  }

  private static Expr pop(Deque<Expr> stack) {
    if (stack.isEmpty()) {
      throw new CorruptionException("command: malformed expression");
    }
    return stack.pop();
  }
}
