package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The workload's predicates: three-valued evaluation, and text that means the tree under SQL's
 * precedence, whether fully parenthesised or with only the parentheses precedence needs. A reader
 * of the text by the standard's precedence (below) must find a predicate that evaluates like the
 * tree on every row.
 */
class PredTest {
  private static final List<String> NAMES = List.of("a", "b", "c", "d");
  private static final List<ColType> TYPES =
      List.of(ColType.INT, ColType.VARCHAR, ColType.BIGINT, ColType.DECIMAL);

  private static String minimal(Pred p) {
    return Pred.sql(p, NAMES, new ArrayList<>(), false, true);
  }

  private static final Pred A1 = new Pred.Cmp(0, "=", 1);
  private static final Pred B_IN = new Pred.In(1, List.of("x", "y"), false);
  private static final Pred C_NULL = new Pred.IsNull(2, false);
  private static final Pred D_BETWEEN =
      new Pred.Between(3, new BigDecimal("0.25"), new BigDecimal("1.50"), false);

  @Test
  void shouldWriteOnlyTheParenthesesPrecedenceNeeds() {
    assertEquals(
        "a = 1 AND b IN ('x', 'y') OR c IS NULL",
        minimal(new Pred.Or(new Pred.And(A1, B_IN), C_NULL)));
    assertEquals(
        "(a = 1 OR b IN ('x', 'y')) AND c IS NULL",
        minimal(new Pred.And(new Pred.Or(A1, B_IN), C_NULL)));
    assertEquals(
        "NOT d BETWEEN 0.25 AND 1.50 AND a = 1",
        minimal(new Pred.And(new Pred.Not(D_BETWEEN), A1)));
    assertEquals("NOT (a = 1 AND c IS NULL)", minimal(new Pred.Not(new Pred.And(A1, C_NULL))));
    assertEquals("NOT NOT a = 1", minimal(new Pred.Not(new Pred.Not(A1))));
    assertEquals(
        "NOT (NOT (a = 1 OR c IS NULL))",
        minimal(new Pred.Not(new Pred.Not(new Pred.Or(A1, C_NULL)))));
    assertEquals("NOT (NOT NOT a = 1)", minimal(new Pred.Not(new Pred.Not(new Pred.Not(A1)))));
    assertEquals(
        "((a = 1 AND b IN ('x', 'y')) OR c IS NULL)",
        Pred.sql(new Pred.Or(new Pred.And(A1, B_IN), C_NULL), NAMES, new ArrayList<>(), false));
  }

  @Test
  void shouldEvaluateWithThreeValuedLogic() {
    Object[] nulls = {null, null, null, null};
    Object[] row = {1, "x", 5L, new BigDecimal("1.50")};
    assertNull(Pred.eval(A1, nulls));
    assertEquals(true, Pred.eval(new Pred.Or(A1, C_NULL), nulls));
    assertNull(Pred.eval(new Pred.Or(A1, new Pred.Not(C_NULL)), nulls));
    assertEquals(false, Pred.eval(new Pred.And(A1, new Pred.Not(C_NULL)), nulls));
    // x NOT IN (list with NULL) is never TRUE; x IN (list with NULL) is TRUE only on a match.
    Pred notIn = new Pred.In(1, Arrays.asList("y", null), true);
    assertNull(Pred.eval(notIn, row));
    assertEquals(true, Pred.eval(new Pred.In(1, Arrays.asList("x", null), false), row));
    assertEquals(true, Pred.eval(D_BETWEEN, row));
    assertEquals(false, Pred.eval(new Pred.Not(D_BETWEEN), row));
    assertNull(Pred.eval(new Pred.Not(D_BETWEEN), nulls));
  }

  @Test
  void shouldMeanTheTreeWhenReadByPrecedence() {
    Random r = new Random(20261126);
    for (int i = 0; i < 3000; i++) {
      Pred p = Pred.random(TYPES, r, 1 + r.nextInt(4));
      boolean minimal = r.nextBoolean();
      String text = Pred.sql(p, NAMES, new ArrayList<>(), false, minimal);
      assertFalse(text.contains("NOT NOT ("), text);
      assertFalse(text.contains("NOT NOT NOT"), text);
      Pred read = new Reader(text).read();
      for (int j = 0; j < 20; j++) {
        Object[] row = new Object[TYPES.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = TYPES.get(c).nullable(r);
        }
        assertEquals(
            Pred.eval(p, row),
            Pred.eval(read, row),
            "seed=20261126 predicate " + text + " on " + Arrays.toString(row));
      }
    }
  }

  /**
   * Reads predicate text by SQL's precedence (tests, then NOT, then AND, then OR; AND and OR from
   * the left): recursive descent over the tokens {@link Pred#sql} writes.
   */
  private static final class Reader {
    private final List<String> tokens = new ArrayList<>();
    private int at;

    Reader(String text) {
      int i = 0;
      while (i < text.length()) {
        char ch = text.charAt(i);
        if (ch == ' ') {
          i++;
        } else if (ch == '\'') {
          int end = text.indexOf('\'', i + 1);
          tokens.add(text.substring(i, end + 1));
          i = end + 1;
        } else if ("(),".indexOf(ch) >= 0) {
          tokens.add(String.valueOf(ch));
          i++;
        } else {
          int end = i;
          while (end < text.length() && " (),".indexOf(text.charAt(end)) < 0) {
            end++;
          }
          tokens.add(text.substring(i, end));
          i = end;
        }
      }
    }

    Pred read() {
      Pred p = or();
      assertEquals(tokens.size(), at, "tokens left in " + tokens);
      return p;
    }

    private String peek() {
      return at < tokens.size() ? tokens.get(at) : "";
    }

    private void expect(String token) {
      assertEquals(token, tokens.get(at++), "in " + tokens);
    }

    private Pred or() {
      Pred p = and();
      while (peek().equals("OR")) {
        at++;
        p = new Pred.Or(p, and());
      }
      return p;
    }

    private Pred and() {
      Pred p = not();
      while (peek().equals("AND")) {
        at++;
        p = new Pred.And(p, not());
      }
      return p;
    }

    private Pred not() {
      if (peek().equals("NOT")) {
        at++;
        return new Pred.Not(not());
      }
      if (peek().equals("(")) {
        at++;
        Pred p = or();
        expect(")");
        return p;
      }
      return test();
    }

    private Pred test() {
      int col = NAMES.indexOf(tokens.get(at++));
      assertTrue(col >= 0, "a column at " + (at - 1) + " of " + tokens);
      ColType type = TYPES.get(col);
      String op = tokens.get(at++);
      if (op.equals("IS")) {
        boolean not = peek().equals("NOT");
        at += not ? 1 : 0;
        expect("NULL");
        return new Pred.IsNull(col, not);
      }
      boolean not = op.equals("NOT");
      if (not) {
        op = tokens.get(at++);
      }
      if (op.equals("IN")) {
        expect("(");
        List<Object> vs = new ArrayList<>();
        vs.add(value(type));
        while (peek().equals(",")) {
          at++;
          vs.add(value(type));
        }
        expect(")");
        return new Pred.In(col, vs, not);
      } else if (op.equals("BETWEEN")) {
        Object lo = value(type);
        expect("AND");
        return new Pred.Between(col, lo, value(type), not);
      }
      return new Pred.Cmp(col, op, value(type));
    }

    private Object value(ColType type) {
      String t = tokens.get(at++);
      if (t.equals("NULL")) {
        return null;
      }
      return switch (type) {
        case INT -> Integer.parseInt(t);
        case BIGINT -> Long.parseLong(t);
        case VARCHAR -> t.substring(1, t.length() - 1);
        case BOOLEAN -> Boolean.parseBoolean(t.toLowerCase(java.util.Locale.ROOT));
        case DECIMAL -> new BigDecimal(t);
      };
    }
  }
}
