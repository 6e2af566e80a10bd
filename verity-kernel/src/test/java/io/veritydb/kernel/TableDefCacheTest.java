package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.store.MemoryStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.SqlType;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memo of decoded table definitions, and a kernel that uses it across stores and tenants. */
class TableDefCacheTest {
  static final TenantId T1 = TenantId.of(1);
  static final TenantId T2 = TenantId.of(2);

  private static LogPosition apply(Kernel kernel, MemoryStore store, TenantId t, Command c) {
    LogPosition next = store.appliedPosition().next();
    Outcome o = kernel.apply(store.snapshot(), t, next, c);
    store.apply(next, o.batch());
    return next;
  }

  @Test
  void shouldDecodeOnceAndFollowEveryChangeOfTheDefinition() {
    MemoryStore store = new MemoryStore();
    Kernel kernel = new Kernel();
    LogPosition before = store.appliedPosition();
    LogPosition created = apply(kernel, store, T1, KernelTest.patients());
    TableDefCache cache = new TableDefCache(4);
    TableDef first = cache.require(store, created, T1, "patients");
    assertSame(first, cache.require(store, store.position(), T1, "patients"));
    assertEquals(1, cache.cached());
    apply(kernel, store, T1, new Command.CreateIndex("patients_ward", "patients", List.of("ward")));
    TableDef indexed = cache.require(store, store.position(), T1, "patients");
    assertNotSame(first, indexed);
    assertEquals(List.of("patients_ward"), indexed.indexes().stream().map(IndexDef::name).toList());
    // at the position before the index the older definition, before the table none
    assertEquals(List.of(), cache.require(store, created, T1, "patients").indexes());
    assertNull(cache.find(store, before, T1, "patients"));
    BadRequestException e =
        assertThrows(BadRequestException.class, () -> cache.require(store, before, T1, "patients"));
    assertEquals("table patients does not exist at " + before, e.getMessage());
    assertNull(cache.find(store, store.position(), T2, "patients"));
  }

  @Test
  void shouldHoldAtMostItsSize() {
    MemoryStore store = new MemoryStore();
    Kernel kernel = new Kernel();
    TableDefCache cache = new TableDefCache(3);
    for (int i = 0; i < 6; i++) {
      apply(
          kernel,
          store,
          T1,
          new Command.CreateTable(
              "t" + i, List.of(new ColumnDef("id", SqlType.BIGINT, true)), List.of("id")));
      assertEquals("t" + i, cache.require(store, store.position(), T1, "t" + i).name());
    }
    assertEquals(3, cache.cached());
    assertEquals("t0", cache.require(store, store.position(), T1, "t0").name());
  }

  /**
   * One kernel (with its memo) applying to two stores whose tables differ at the same positions,
   * for two tenants, writes exactly what a fresh kernel per command writes.
   */
  @Test
  void shouldApplyAsAFreshKernelAcrossStoresAndTenants() {
    Kernel shared = new Kernel();
    MemoryStore a = new MemoryStore();
    MemoryStore b = new MemoryStore();
    MemoryStore freshA = new MemoryStore();
    MemoryStore freshB = new MemoryStore();
    Command wide =
        new Command.CreateTable(
            "t",
            List.of(
                new ColumnDef("id", SqlType.BIGINT, true),
                new ColumnDef("v", SqlType.INT, false),
                new ColumnDef("w", SqlType.TEXT, false)),
            List.of("id"));
    Command narrow =
        new Command.CreateTable(
            "t",
            List.of(
                new ColumnDef("id", SqlType.BIGINT, true), new ColumnDef("v", SqlType.INT, false)),
            List.of("id"));
    List<Command> onA = new ArrayList<>();
    List<Command> onB = new ArrayList<>();
    onA.add(wide);
    onB.add(narrow);
    for (int i = 0; i < 5; i++) {
      onA.add(
          new Command.Insert(
              "t", List.of("id", "v"), List.<Object[]>of(new Object[] {(long) i, i})));
      onB.add(
          new Command.Insert(
              "t", List.of("id", "v"), List.<Object[]>of(new Object[] {(long) i, -i})));
    }
    onB.add(new Command.CreateIndex("t_v", "t", List.of("v")));
    onA.add(new Command.Insert("t", List.of("id", "w"), List.<Object[]>of(new Object[] {9L, "x"})));
    onB.add(new Command.Insert("t", List.of("id", "v"), List.<Object[]>of(new Object[] {9L, 9})));
    onA.add(
        new Command.Update(
            "t",
            List.of(new Command.Assignment("v", new Expr.Literal(7L))),
            new Expr.Compare(Expr.CmpOp.GT, new Expr.Column("id"), new Expr.Literal(2L))));
    onB.add(
        new Command.Delete(
            "t", new Expr.Compare(Expr.CmpOp.LT, new Expr.Column("v"), new Expr.Literal(-2L))));
    // a's and b's catalogs change at the same positions; each tenant has its own table t
    for (int i = 0; i < onA.size(); i++) {
      for (TenantId t : List.of(T1, T2)) {
        apply(shared, a, t, onA.get(i));
        apply(new Kernel(), freshA, t, onA.get(i));
        apply(shared, b, t, onB.get(i));
        apply(new Kernel(), freshB, t, onB.get(i));
      }
    }
    assertEquals(dump(freshA), dump(a));
    assertEquals(dump(freshB), dump(b));
  }

  @Test
  void shouldSayWhichCommandsChangeTheCatalog() {
    assertTrue(Kernel.changesCatalog(KernelTest.patients()));
    assertTrue(Kernel.changesCatalog(new Command.CreateIndex("i", "patients", List.of("ward"))));
    assertFalse(Kernel.changesCatalog(KernelTest.insert(KernelTest.row(1L, "Ada", 3))));
    assertFalse(Kernel.changesCatalog(new Command.Delete("patients", Expr.TRUE)));
    assertFalse(Kernel.changesCatalog(new Command.Noop("x")));
  }

  private static List<String> dump(MemoryStore s) {
    List<String> out = new ArrayList<>();
    try (StoreCursor c = s.scan(io.veritydb.store.KeyRange.ALL, false, Integer.MAX_VALUE)) {
      while (c.next()) {
        out.add(Arrays.toString(c.key()) + "=" + Arrays.toString(c.value()));
      }
    }
    return out;
  }
}
