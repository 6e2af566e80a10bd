package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelTest {
  static final TenantId T1 = TenantId.of(1);
  static final TenantId T2 = TenantId.of(2);

  MemoryStore store;
  Kernel kernel;
  Outcome last;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    kernel = new Kernel();
    applied(T1, patients());
  }

  static Command.CreateTable patients() {
    return new Command.CreateTable(
        "patients",
        List.of(
            new ColumnDef("id", SqlType.BIGINT, false),
            new ColumnDef("name", SqlType.varchar(8), true),
            new ColumnDef("ward", SqlType.INT, false),
            new ColumnDef("fee", SqlType.decimal(6, 2), false)),
        List.of("id"));
  }

  static Command.Insert insert(Object[]... rows) {
    return new Command.Insert("patients", List.of("id", "name", "ward"), Arrays.asList(rows));
  }

  static Object[] row(Object... values) {
    return values;
  }

  Reply apply(TenantId tenant, Command c) {
    LogPosition next = store.appliedPosition().next();
    last = kernel.apply(store.snapshot(), tenant, next, c);
    store.apply(next, last.batch());
    return last.reply();
  }

  long applied(TenantId tenant, Command c) {
    Reply r = apply(tenant, c);
    assertInstanceOf(Reply.Applied.class, r, () -> r.toString());
    return ((Reply.Applied) r).rowsAffected();
  }

  void rejected(Command c, Reply.Reason reason, String fragment) {
    Reply r = apply(T1, c);
    Reply.Rejected rej = assertInstanceOf(Reply.Rejected.class, r);
    assertEquals(reason, rej.reason(), rej.message());
    assertTrue(
        rej.message().contains(fragment), () -> "'" + fragment + "' not in " + rej.message());
    assertTrue(last.batch().isEmpty(), "a rejection writes nothing");
  }

  List<List<Object>> rows(TenantId tenant, Expr where) {
    TableDef t = Catalog.require(store, store.position(), tenant, "patients");
    CompiledExpr w = CompiledExpr.predicate(t, where, new Object[0]);
    List<List<Object>> out = new ArrayList<>();
    try (RowIterator it =
        RowIterator.open(
            store, store.position(), AccessPlanner.plan(tenant, t, w), w, false, null)) {
      while (it.next()) {
        out.add(Arrays.asList(it.row()));
      }
    }
    return out;
  }

  static Expr eq(String col, Object v) {
    return new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column(col), new Expr.Literal(v));
  }

  @Test
  void shouldInsertRowsAndCountThem() {
    assertEquals(2, applied(T1, insert(row(1L, "Ada", 3), row(2L, "Bob", null))));
    assertEquals(
        List.of(Arrays.asList(1L, "Ada", 3, null), Arrays.asList(2L, "Bob", null, null)),
        rows(T1, Expr.TRUE));
  }

  @Test
  void shouldRejectDuplicatePrimaryKeyAgainstStoreAndWithinCommand() {
    applied(T1, insert(row(1L, "Ada", 3)));
    rejected(
        insert(row(1L, "Eve", 3)),
        Reply.Reason.CONSTRAINT,
        "duplicate primary key (id)=(1) in table patients");
    rejected(
        insert(row(5L, "A", 1), row(5L, "B", 1)),
        Reply.Reason.CONSTRAINT,
        "duplicate primary key (id)=(5)");
    assertEquals(1, rows(T1, Expr.TRUE).size(), "all-or-nothing");
  }

  @Test
  void shouldRejectEveryConstraint() {
    rejected(insert(row(null, "A", 1)), Reply.Reason.CONSTRAINT, "NULL in NOT NULL column id");
    rejected(insert(row(1L, null, 1)), Reply.Reason.CONSTRAINT, "NULL in NOT NULL column name");
    rejected(
        new Command.Insert("patients", List.of("id"), List.<Object[]>of(row(1L))),
        Reply.Reason.CONSTRAINT,
        "(no value given)");
    rejected(
        insert(row(1L, "123456789", 1)), Reply.Reason.CONSTRAINT, "value too long for VARCHAR(8)");
    rejected(insert(row(1L, "A", 1L << 40)), Reply.Reason.CONSTRAINT, "out of range for INT");
    rejected(insert(row(1L, "A", "three")), Reply.Reason.BAD_REQUEST, "type mismatch");
    rejected(insert(row("one", "A", 1)), Reply.Reason.BAD_REQUEST, "expects BIGINT");
    rejected(
        new Command.Insert(
            "patients",
            List.of("id", "name", "fee"),
            List.<Object[]>of(row(1L, "A", new BigDecimal("10000")))),
        Reply.Reason.CONSTRAINT,
        "exceeds the precision of DECIMAL(6,2)");
    rejected(
        new Command.Insert(
            "patients",
            List.of("id", "name", "fee"),
            List.<Object[]>of(row(1L, "A", new BigDecimal("1.001")))),
        Reply.Reason.CONSTRAINT,
        "has 3 digits after the point");
    rejected(
        new Command.Insert("nope", List.of("id"), List.<Object[]>of(row(1L))),
        Reply.Reason.BAD_REQUEST,
        "table nope does not exist");
    rejected(
        new Command.Insert("patients", List.of("id", "zip"), List.<Object[]>of(row(1L, 1))),
        Reply.Reason.BAD_REQUEST,
        "column zip does not exist in table patients");
    rejected(
        new Command.Insert("patients", List.of("id", "id"), List.<Object[]>of(row(1L, 1L))),
        Reply.Reason.BAD_REQUEST,
        "given twice");
    assertEquals(0, rows(T1, Expr.TRUE).size());
  }

  @Test
  void shouldRejectBadTablesAndIndexes() {
    rejected(patients(), Reply.Reason.BAD_REQUEST, "table patients already exists");
    rejected(
        new Command.CreateTable("t", List.of(new ColumnDef("a", SqlType.INT, false)), List.of()),
        Reply.Reason.BAD_REQUEST,
        "needs a PRIMARY KEY");
    rejected(
        new Command.CreateTable(
            "t",
            List.of(new ColumnDef("a", SqlType.INT, false), new ColumnDef("a", SqlType.INT, false)),
            List.of("a")),
        Reply.Reason.BAD_REQUEST,
        "declared twice");
    rejected(
        new Command.CreateTable("t", List.of(new ColumnDef("a", SqlType.INT, false)), List.of("b")),
        Reply.Reason.BAD_REQUEST,
        "primary key column b is not a column");
    rejected(
        new Command.CreateTable("t", List.of(), List.of("a")), Reply.Reason.BAD_REQUEST, "columns");
    rejected(
        new Command.CreateIndex("ix", "nope", List.of("a")),
        Reply.Reason.BAD_REQUEST,
        "table nope does not exist");
    rejected(
        new Command.CreateIndex("ix", "patients", List.of("zip")),
        Reply.Reason.BAD_REQUEST,
        "column zip does not exist");
    applied(T1, new Command.CreateIndex("ix", "patients", List.of("ward")));
    rejected(
        new Command.CreateIndex("ix", "patients", List.of("name")),
        Reply.Reason.BAD_REQUEST,
        "index ix already exists");
  }

  @Test
  void shouldRejectKeysLongerThanTheStoreAccepts() {
    assertTrue(Kernel.MAX_KEY_BYTES <= io.veritydb.store.PagedStore.MAX_KEY_BYTES);
    applied(
        T1,
        new Command.CreateTable(
            "docs",
            List.of(
                new ColumnDef("title", SqlType.TEXT, true),
                new ColumnDef("body", SqlType.TEXT, false)),
            List.of("title")));
    applied(T1, new Command.CreateIndex("docs_body", "docs", List.of("body")));
    String longText = "x".repeat(2000);
    rejected(
        new Command.Insert("docs", List.of("title"), List.<Object[]>of(row(longText))),
        Reply.Reason.CONSTRAINT,
        "primary key (title) of table docs is too long");
    rejected(
        new Command.Insert("docs", List.of("title", "body"), List.<Object[]>of(row("t", longText))),
        Reply.Reason.CONSTRAINT,
        "entry of index docs_body on table docs is too long");
    applied(
        T1, new Command.Insert("docs", List.of("title", "body"), List.<Object[]>of(row("t", "b"))));
    TableDef docs = Catalog.require(store, store.position(), T1, "docs");
    CompiledExpr w =
        CompiledExpr.predicate(
            docs,
            new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column("title"), new Expr.Literal(longText)),
            new Object[0]);
    assertEquals(AccessPath.Kind.SCAN, AccessPlanner.plan(T1, docs, w).kind());
  }

  @Test
  void shouldReadTheCatalogAtAnyPosition() {
    LogPosition created = store.appliedPosition();
    applied(T1, new Command.CreateIndex("by_ward", "patients", List.of("ward")));
    assertNull(Catalog.find(store, LogPosition.NONE, T1, "patients"));
    assertEquals(0, Catalog.find(store, created, T1, "patients").indexes().size());
    assertEquals(1, Catalog.find(store, T1, "patients").indexes().size());
    assertNull(Catalog.find(store, T2, "patients"), "tenant 2 has no tables");
    assertEquals(1, Catalog.tables(store, store.position(), T1).size());
  }

  @Test
  void shouldBackfillAndMaintainIndexes() {
    applied(T1, insert(row(1L, "Ada", 3), row(2L, "Bob", 3), row(3L, "Cy", 4)));
    applied(T1, new Command.CreateIndex("by_ward", "patients", List.of("ward")));
    assertEquals(2, rows(T1, eq("ward", 3L)).size());
    applied(
        T1,
        new Command.Update(
            "patients",
            List.of(new Command.Assignment("ward", new Expr.Literal(4))),
            eq("id", 1L)));
    assertEquals(1, rows(T1, eq("ward", 3L)).size());
    assertEquals(2, rows(T1, eq("ward", 4L)).size());
    assertEquals(2, applied(T1, new Command.Delete("patients", eq("ward", 4L))));
    assertEquals(0, rows(T1, eq("ward", 4L)).size());
    assertEquals(1, indexEntries(T1), "only Bob's entry is left");
  }

  private int indexEntries(TenantId tenant) {
    TableDef t = Catalog.require(store, store.position(), tenant, "patients");
    int n = 0;
    try (StoreCursor c =
        store.scan(
            io.veritydb.store.KeyRange.prefix(
                Keyspace.indexKey(tenant, t.id(), t.indexes().get(0).id(), 0).toByteArray()),
            false,
            1000)) {
      while (c.next()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void consistencyCheckFindsStaleAndMissingIndexEntries() {
    applied(T1, insert(row(1L, "Ada", 3), row(2L, "Bob", 4)));
    applied(T1, new Command.CreateIndex("by_ward", "patients", List.of("ward")));
    assertEquals(List.of(), Consistency.check(store, store.position(), T1));
    TableDef t = Catalog.require(store, store.position(), T1, "patients");
    IndexDef ix = t.indexes().get(0);
    WriteBatch damage = new WriteBatch();
    damage.put(
        RowWriter.indexKey(T1, t, ix, new Object[] {9L, "Ghost", 5, null}), Keyspace.INDEX_VALUE);
    damage.delete(RowWriter.indexKey(T1, t, ix, new Object[] {1L, "Ada", 3, null}));
    store.apply(store.appliedPosition().next(), damage);
    assertEquals(
        List.of(
            "index by_ward: an entry has no matching row",
            "index by_ward: 1 rows of table patients have no entry"),
        Consistency.check(store, store.position(), T1));
  }

  @Test
  void shouldMovePrimaryKeysInChains() {
    applied(T1, insert(row(1L, "Ada", 2), row(2L, "Bob", 3)));
    applied(T1, new Command.CreateIndex("by_ward", "patients", List.of("ward")));
    // SET id = ward: 1 -> 2 while 2 -> 3 in the same command.
    assertEquals(
        2,
        applied(
            T1,
            new Command.Update(
                "patients",
                List.of(new Command.Assignment("id", new Expr.Column("ward"))),
                Expr.TRUE)));
    assertEquals(
        List.of(Arrays.asList(2L, "Ada", 2, null), Arrays.asList(3L, "Bob", 3, null)),
        rows(T1, Expr.TRUE));
    assertEquals(2, indexEntries(T1));
    rejected(
        new Command.Update(
            "patients", List.of(new Command.Assignment("id", new Expr.Literal(7L))), Expr.TRUE),
        Reply.Reason.CONSTRAINT,
        "duplicate primary key (id)=(7)");
    rejected(
        new Command.Update(
            "patients", List.of(new Command.Assignment("id", new Expr.Literal(3L))), eq("id", 2L)),
        Reply.Reason.CONSTRAINT,
        "duplicate primary key (id)=(3)");
  }

  @Test
  void shouldUpdateWithExactArithmetic() {
    applied(T1, insert(row(1L, "Ada", 2), row(2L, "Bob", 3)));
    Expr plusOne = new Expr.Arith(Expr.ArithOp.ADD, new Expr.Column("id"), new Expr.Literal(1L));
    // id = id + 1 moves 1 -> 2 while 2 -> 3.
    assertEquals(
        2,
        applied(
            T1,
            new Command.Update(
                "patients", List.of(new Command.Assignment("id", plusOne)), Expr.TRUE)));
    assertEquals(2, rows(T1, eq("id", 3L)).size() + rows(T1, eq("id", 2L)).size());
    Expr fee =
        new Expr.Arith(
            Expr.ArithOp.MUL, new Expr.Column("ward"), new Expr.Literal(new BigDecimal("1.25")));
    applied(
        T1, new Command.Update("patients", List.of(new Command.Assignment("fee", fee)), Expr.TRUE));
    assertEquals(new BigDecimal("2.50"), rows(T1, eq("id", 2L)).get(0).get(3));
    rejected(
        new Command.Update(
            "patients",
            List.of(
                new Command.Assignment(
                    "id",
                    new Expr.Arith(
                        Expr.ArithOp.MUL,
                        new Expr.Column("id"),
                        new Expr.Literal(Long.MAX_VALUE)))),
            Expr.TRUE),
        Reply.Reason.CONSTRAINT,
        "numeric overflow");
    rejected(
        new Command.Update(
            "patients",
            List.of(
                new Command.Assignment(
                    "ward",
                    new Expr.Arith(
                        Expr.ArithOp.ADD, new Expr.Column("name"), new Expr.Literal(1L)))),
            Expr.TRUE),
        Reply.Reason.BAD_REQUEST,
        "arithmetic needs numbers");
    rejected(
        new Command.Update(
            "patients",
            List.of(
                new Command.Assignment(
                    "fee",
                    new Expr.Arith(
                        Expr.ArithOp.MUL,
                        new Expr.Column("fee"),
                        new Expr.Literal(new BigDecimal("1.001"))))),
            Expr.TRUE),
        Reply.Reason.CONSTRAINT,
        "digits after the point");
  }

  @Test
  void shouldRejectBadUpdatesAndDeletes() {
    applied(T1, insert(row(1L, "Ada", 2)));
    rejected(
        new Command.Update(
            "patients", List.of(new Command.Assignment("name", new Expr.Literal(null))), Expr.TRUE),
        Reply.Reason.CONSTRAINT,
        "NULL in NOT NULL column name");
    rejected(
        new Command.Update(
            "patients",
            List.of(new Command.Assignment("ward", new Expr.Not(Expr.TRUE))),
            Expr.TRUE),
        Reply.Reason.BAD_REQUEST,
        "only values, columns and + - *");
    rejected(
        new Command.Update("patients", List.of(), Expr.TRUE),
        Reply.Reason.BAD_REQUEST,
        "at least one SET");
    rejected(
        new Command.Delete("patients", eq("zip", 1L)),
        Reply.Reason.BAD_REQUEST,
        "column zip does not exist");
    rejected(
        new Command.Delete(
            "patients", new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column("id"), new Expr.Param(0))),
        Reply.Reason.BAD_REQUEST,
        "parameter ?1 has no value");
    rejected(
        new Command.Delete("patients", eq("name", 5L)), Reply.Reason.BAD_REQUEST, "type mismatch");
    assertEquals(1, rows(T1, Expr.TRUE).size());
  }

  @Test
  void shouldKeepTenantsApart() {
    applied(T2, patients());
    applied(T1, insert(row(1L, "one", 1)));
    applied(T2, insert(row(1L, "two", 2)));
    assertEquals(List.of(Arrays.asList(1L, "one", 1, null)), rows(T1, Expr.TRUE));
    assertEquals(List.of(Arrays.asList(1L, "two", 2, null)), rows(T2, Expr.TRUE));
    assertEquals(1, applied(T2, new Command.Delete("patients", Expr.TRUE)));
    assertEquals(1, rows(T1, Expr.TRUE).size());
  }

  @Test
  void shouldBeDeterministic() {
    List<Command> script =
        List.of(
            new Command.CreateIndex("by_ward", "patients", List.of("ward")),
            insert(row(3L, "c", 1), row(1L, "a", 2), row(2L, "b", 1)),
            new Command.Update(
                "patients",
                List.of(new Command.Assignment("id", new Expr.Column("ward"))),
                eq("ward", 2L)),
            new Command.Delete("patients", eq("ward", 1L)),
            new Command.Noop("checkpoint"));
    List<String> first = run(script);
    List<String> second = run(script);
    assertEquals(first, second);
    assertNotNull(first.get(0));
  }

  private List<String> run(List<Command> script) {
    setUp();
    List<String> out = new ArrayList<>();
    for (Command c : script) {
      apply(T1, c);
      StringBuilder sb = new StringBuilder(last.reply().toString());
      WriteBatch b = last.batch();
      for (WriteBatch.Write w : b.writes()) {
        sb.append(Arrays.toString(w.key())).append('=').append(Arrays.toString(w.value()));
      }
      out.add(sb.toString());
    }
    return out;
  }
}
