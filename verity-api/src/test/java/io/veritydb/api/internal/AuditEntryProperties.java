package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.store.WriteBatch;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Replay computes an audit entry's key and head on its decoder thread and appends the outcome on
 * the applying thread; the live path encodes the entry in one go. Both must write the same bytes:
 * the layout documented in {@link AuditTrail}, built here independently.
 */
class AuditEntryProperties {
  @Property(tries = 300)
  void shouldWriteTheSameEntryWhetherTheHeadWasComputedAheadOrNot(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long tenant,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long position,
      @ForAll long micros,
      @ForAll @StringLength(max = 40) String actor,
      @ForAll @StringLength(max = 40) String requestId,
      @ForAll @StringLength(max = 5000) String statement,
      @ForAll @IntRange(min = 0, max = 2) int outcome,
      @ForAll long rows,
      @ForAll @StringLength(max = 5000) String reason) {
    TenantId t = new TenantId(tenant);
    WriteBatch live = new WriteBatch();
    AuditTrail.record(
        live,
        t,
        LogPosition.of(position),
        micros,
        actor,
        requestId,
        statement,
        outcome,
        rows,
        reason);
    WriteBatch ahead = new WriteBatch();
    byte[] key = AuditTrail.entryKey(t, position);
    byte[] head = AuditTrail.head(micros, actor, requestId, statement);
    AuditTrail.record(ahead, key, head, outcome, rows, reason);
    assertEquals(1, live.size());
    assertEquals(1, ahead.size());
    byte[] expectedKey =
        ByteBuffer.allocate(17).put((byte) 0x10).putLong(tenant).putLong(position).array();
    byte[] expected = expectedEntry(micros, actor, requestId, statement, outcome, rows, reason);
    assertArrayEquals(expectedKey, live.writes().get(0).key());
    assertArrayEquals(expected, live.writes().get(0).value());
    assertArrayEquals(expectedKey, ahead.writes().get(0).key());
    assertArrayEquals(expected, ahead.writes().get(0).value());
  }

  /** | 1 | micros i64 LE | actor | request | statement | outcome u8 | rows i64 LE | reason |. */
  private static byte[] expectedEntry(
      long micros,
      String actor,
      String requestId,
      String statement,
      int outcome,
      long rows,
      String reason) {
    ByteBuffer out = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 1).putLong(micros);
    text(out, actor);
    text(out, requestId);
    text(out, statement.length() > 4096 ? statement.substring(0, 4096) + "..." : statement);
    out.put((byte) outcome).putLong(rows);
    text(out, reason.length() > 4096 ? reason.substring(0, 4096) + "..." : reason);
    return Arrays.copyOf(out.array(), out.position());
  }

  private static void text(ByteBuffer out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.putShort((short) b.length).put(b);
  }
}
