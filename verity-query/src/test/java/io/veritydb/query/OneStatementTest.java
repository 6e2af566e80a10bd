package io.veritydb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One statement per call: a trailing ; (with whitespace and comments after it) is accepted, any
 * other text after a ; is refused naming it, and nothing of the text is ever ignored.
 */
class OneStatementTest {
  TestDb db;

  @BeforeEach
  void setUp() {
    db = new TestDb();
    db.exec("CREATE TABLE k (id BIGINT PRIMARY KEY, v TEXT)");
  }

  private List<Object> ids() {
    List<Object> out = new ArrayList<>();
    for (Object[] r : db.query("SELECT id FROM k ORDER BY id").rows()) {
      out.add(r[0]);
    }
    return out;
  }

  private BadRequestException refused(String sql) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> db.engine.prepare(sql));
    assertTrue(
        e.getMessage().startsWith("execute and query take one SQL statement"), e::getMessage);
    return e;
  }

  @Test
  void shouldAcceptATrailingSemicolonWithWhitespaceAndComments() {
    assertEquals(1, db.exec("INSERT INTO k VALUES (1, 'a');"));
    assertEquals(1, db.exec("INSERT INTO k VALUES (2, 'b');  \n\t "));
    assertEquals(1, db.exec("INSERT INTO k VALUES (3, 'c'); -- the third"));
    assertEquals(1, db.exec("INSERT INTO k VALUES (4, 'd'); /* the fourth */ -- really\n"));
    assertEquals(List.of(1L, 2L, 3L, 4L), ids());
    assertEquals(4, db.query("SELECT id FROM k;  ").rows().size());
  }

  @Test
  void shouldNotSplitAtASemicolonInsideALiteralOrComment() {
    assertEquals(1, db.exec("INSERT INTO k VALUES (5, 'a;b')"));
    assertEquals(1, db.exec("INSERT INTO k /* ; */ VALUES (6, 'x; DROP TABLE k')"));
    assertEquals(1, db.query("SELECT id FROM k WHERE v = 'a;b'").rows().size());
    assertEquals(List.of(5L, 6L), ids());
  }

  @Test
  void shouldRefuseASecondInsertAndStoreNothing() {
    BadRequestException e = refused("INSERT INTO k VALUES (20); INSERT INTO k VALUES (21)");
    assertTrue(e.getMessage().contains("at offset 27: INSERT INTO k VALUES (21)"), e::getMessage);
    assertEquals(List.of(), ids());
  }

  @Test
  void shouldRefuseDropOrGarbageAfterTheSemicolon() {
    assertTrue(
        refused("INSERT INTO k VALUES (20); DROP TABLE k")
            .getMessage()
            .contains("offset 27: DROP TABLE k"));
    assertTrue(
        refused("SELECT id FROM k; garbage garbage")
            .getMessage()
            .contains("offset 18: garbage garbage"));
    assertTrue(refused("SELECT id FROM k;;").getMessage().contains("offset 17: ;"));
    assertTrue(refused("SELECT id FROM k; /* unterminated").getMessage().contains("offset 18: /*"));
    assertTrue(refused("SELECT id FROM k; 'oops").getMessage().contains("offset 18: 'oops"));
    assertEquals(List.of(), ids());
  }

  @Test
  void shouldRefuseUpdateThenDeleteAndChangeNothing() {
    db.exec("INSERT INTO k VALUES (1, 'a')");
    refused("UPDATE k SET v = 'b' WHERE id = 1; DELETE FROM k WHERE id = 1");
    assertEquals(List.of(List.of(1L, "a")), TestDb.rows(db.query("SELECT id, v FROM k")));
  }

  @Test
  void shouldNameTheSecondStatementAcrossLinesTabsAndComments() {
    assertTrue(
        refused("SELECT id FROM k;\t\tDROP TABLE k").getMessage().contains("offset 19: DROP"));
    assertTrue(
        refused("SELECT id\r\nFROM k\r\n;\r\n  -- next\r\n  DROP  TABLE\n k")
            .getMessage()
            .contains("offset 35: DROP TABLE k"));
    assertTrue(refused("SELECT id FROM k\r;\r  x y").getMessage().contains("offset 21: x y"));
    assertTrue(
        refused("SELECT id FROM k WHERE v = '\uD83D\uDE00'; zz")
            .getMessage()
            .contains("offset 33: zz"));
    String longTail = "INSERT INTO k VALUES (7, '" + "x".repeat(200) + "')";
    String message = refused("SELECT id FROM k; " + longTail).getMessage();
    assertTrue(message.contains(longTail.substring(0, 77) + "..."), message);
    assertTrue(message.length() < 250, message);
  }

  @Test
  void shouldComputeOffsetsFromLinesAndColumns() {
    String sql = "a\nbc\r\nd\re";
    assertEquals(0, SqlTranslator.offset(sql, 1, 1));
    assertEquals(3, SqlTranslator.offset(sql, 2, 2));
    assertEquals(6, SqlTranslator.offset(sql, 3, 1));
    assertEquals(8, SqlTranslator.offset(sql, 4, 1));
  }
}
