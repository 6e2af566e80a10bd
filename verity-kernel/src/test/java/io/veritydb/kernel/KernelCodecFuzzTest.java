package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.Mutations;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz targets of the kernel's decoders of stored bytes: commands (log payloads), rows and catalog
 * entries (store values). Any input, a mutated valid encoding or random bytes, decodes to something
 * that encodes and decodes to itself, or fails with {@link CorruptionException}: never another
 * exception, never an allocation sized by an unchecked length.
 */
class KernelCodecFuzzTest {
  private static final String TABLE = "fuzzed_table";

  private static TableDef table() {
    List<ColumnDef> cols = new ArrayList<>();
    for (int i = 0; i < Gen.TYPES.length; i++) {
      cols.add(new ColumnDef("c" + i, Gen.TYPES[i], i == 0));
    }
    return new TableDef(7, TABLE, cols, new int[] {0}, List.of(), 1);
  }

  @Provide
  Arbitrary<byte[]> commands() {
    return Mutations.inputs(new CodecProperties().commands().map(CommandCodec::encode), 4, 64);
  }

  @Provide
  Arbitrary<byte[]> rows() {
    TableDef t = table();
    return Mutations.inputs(new CodecProperties().rows().map(r -> RowCodec.encode(t, r)), 4, 64);
  }

  @Provide
  Arbitrary<byte[]> catalogEntries() {
    Arbitrary<TableDef> tables =
        Arbitraries.of(
            table(),
            table().withIndex(new IndexDef("ix", 1, List.of(2, 3))),
            new TableDef(
                    Long.MAX_VALUE,
                    "t",
                    List.of(
                        new ColumnDef("a", SqlType.varchar(5), true),
                        new ColumnDef("b", SqlType.decimal(10, 2), false)),
                    new int[] {1, 0},
                    List.of(),
                    1)
                .withIndex(new IndexDef("iy", 1, List.of(1))));
    return Mutations.inputs(tables.map(Catalog::encode), 4, 64);
  }

  private static void assertCorruption(CorruptionException e, String name) {
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }

  @Property(tries = 3000)
  void commandDecodesOrIsCorruption(@ForAll("commands") byte[] input) {
    Command decoded;
    try {
      decoded = CommandCodec.decode(input);
    } catch (CorruptionException e) {
      assertCorruption(e, "command");
      return;
    }
    byte[] again = CommandCodec.encode(decoded);
    Command back = CommandCodec.decode(again);
    assertEquals(decoded, back);
    assertArrayEquals(again, CommandCodec.encode(back));
  }

  @Property(tries = 3000)
  void rowDecodesOrIsCorruption(@ForAll("rows") byte[] input, @ForAll long mask) {
    TableDef t = table();
    boolean[] needed = new boolean[t.columnCount()];
    for (int i = 0; i < needed.length; i++) {
      needed[i] = (mask >>> i & 1) == 1;
    }
    Object[] row;
    try {
      row = RowCodec.decode(t, input);
    } catch (CorruptionException e) {
      assertCorruption(e, TABLE);
      try {
        RowCodec.decode(t, input, needed);
      } catch (CorruptionException partial) {
        assertCorruption(partial, TABLE);
      }
      return;
    }
    Object[] some = RowCodec.decode(t, input, needed);
    Object[] back = RowCodec.decode(t, RowCodec.encode(t, row));
    for (int i = 0; i < row.length; i++) {
      assertSameValue(row[i], back[i]);
      assertSameValue(needed[i] ? row[i] : null, some[i]);
    }
  }

  private static void assertSameValue(Object expected, Object actual) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual);
    } else {
      assertEquals(0, Values.compare(expected, actual), expected + " vs " + actual);
    }
  }

  @Property(tries = 2000)
  void catalogEntryDecodesOrIsCorruption(@ForAll("catalogEntries") byte[] input) {
    TableDef decoded;
    try {
      decoded = Catalog.decode(input);
    } catch (CorruptionException e) {
      assertCorruption(e, "catalog entry");
      return;
    }
    TableDef back = Catalog.decode(Catalog.encode(decoded));
    assertEquals(decoded.name(), back.name());
    assertEquals(decoded.columns(), back.columns());
    assertArrayEquals(decoded.primaryKey(), back.primaryKey());
    assertEquals(decoded.indexes(), back.indexes());
    assertEquals(decoded.nextIndexId(), back.nextIndexId());
  }
}
