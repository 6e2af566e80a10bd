package io.veritydb.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input shapes that {@link KernelCodecFuzzTest} found, each decoded to the corruption error its
 * decoder documents.
 */
class KernelDecodeCorruptionTest {
  private static final String TABLE = "fuzzed_table";

  /** Fails unless {@code e}'s message names {@code what}. */
  private static void assertCorruption(CorruptionException e, String what) {
    assertTrue(e.getMessage().contains(what), e.getMessage());
  }

  /** Writes {@code value} little-endian at {@code at}. */
  private static void putLong(byte[] b, int at, long value) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (value >>> (8 * i));
    }
  }

  @Test
  void timestampOutsideInstantRangeIsCorruption() {
    TableDef t =
        new TableDef(
            7,
            TABLE,
            List.of(new ColumnDef("c0", SqlType.TIMESTAMP, true)),
            new int[] {0},
            List.of(),
            1);
    byte[] row = RowCodec.encode(t, new Object[] {Instant.EPOCH});
    putLong(row, 3, Long.MAX_VALUE); // after version, column count and null bitmap: the seconds
    assertCorruption(assertThrows(CorruptionException.class, () -> RowCodec.decode(t, row)), TABLE);

    byte[] command =
        CommandCodec.encode(
            new Command.Insert("t", List.of("a"), List.<Object[]>of(new Object[] {Instant.EPOCH})));
    putLong(command, command.length - 12, Long.MIN_VALUE); // the last value: seconds, nanoseconds
    assertCorruption(
        assertThrows(CorruptionException.class, () -> CommandCodec.decode(command)), "command");
  }

  @Test
  void columnTypeWithALengthItsKindDoesNotTakeIsCorruption() {
    ColumnDef column = new ColumnDef("a", SqlType.BIGINT, true);
    byte[] command =
        CommandCodec.encode(new Command.CreateTable("t", List.of(column), List.of("a")));
    // version, kind, name "t" (2 bytes), column count, column name "a" (2 bytes), type kind, length
    command[8] = 1;
    assertCorruption(
        assertThrows(CorruptionException.class, () -> CommandCodec.decode(command)), "command");

    byte[] entry =
        Catalog.encode(new TableDef(7, TABLE, List.of(column), new int[] {0}, List.of(), 1));
    // version, id (8 bytes), name (1 + 12 bytes), column count, column name "a" (2 bytes): type
    // kind
    entry[25] = (byte) 0x80;
    assertCorruption(
        assertThrows(CorruptionException.class, () -> Catalog.decode(entry)), "catalog entry");
  }

  @Test
  void badBooleanOrEmptyDecimalInARowNamesTheTable() {
    TableDef t =
        new TableDef(
            7,
            TABLE,
            List.of(
                new ColumnDef("a", SqlType.BOOLEAN, true),
                new ColumnDef("b", SqlType.decimal(10, 2), true)),
            new int[] {0},
            List.of(),
            1);
    byte[] row = RowCodec.encode(t, new Object[] {true, new java.math.BigDecimal("1.00")});
    // version, column count, null bitmap: the boolean, then scale (4 bytes), length, unscaled
    byte[] badBoolean = row.clone();
    badBoolean[3] = 46;
    assertCorruption(
        assertThrows(CorruptionException.class, () -> RowCodec.decode(t, badBoolean)), TABLE);
    byte[] emptyDecimal = java.util.Arrays.copyOf(row, 9);
    emptyDecimal[8] = 0;
    assertCorruption(
        assertThrows(CorruptionException.class, () -> RowCodec.decode(t, emptyDecimal)), TABLE);
  }

  @Test
  void catalogEntryWithTableIdZeroOrAPrimaryKeyOrdinalOutOfRangeIsCorruption() {
    TableDef t =
        new TableDef(
            7,
            TABLE,
            List.of(new ColumnDef("a", SqlType.BIGINT, true)),
            new int[] {0},
            List.of(),
            1);
    byte[] idZero = Catalog.encode(t);
    putLong(idZero, 1, 0); // after the version: the table id
    assertCorruption(
        assertThrows(CorruptionException.class, () -> Catalog.decode(idZero)), "catalog entry");
    byte[] pkOutOfRange = Catalog.encode(t);
    // version, id, name, column count, column name, type (4 bytes), not null, pk count: pk ordinal
    pkOutOfRange[31] = 1;
    assertCorruption(
        assertThrows(CorruptionException.class, () -> Catalog.decode(pkOutOfRange)),
        "catalog entry");
  }
}
