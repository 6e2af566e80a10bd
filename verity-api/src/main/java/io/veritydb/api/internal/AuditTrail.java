package io.veritydb.api.internal;

import io.veritydb.api.AuditEntry;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.Reply;
import io.veritydb.store.KeyRange;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreReader;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail, derived from the log like every other state: for each command, who (actor,
 * request id), when (the record's timestamp), what, and the outcome; and the tables whose reads are
 * recorded. The runtime owns these key spaces of the store (the kernel's start at 0x00):
 *
 * <pre>
 *   [0x10][tenant u64 BE][position u64 BE]                     -> entry (below)
 *   [0x11] retired (was a time index: times never decrease along the log, so entries are found
 *          by time with a binary search over positions instead)
 *   [0x12][tenant u64 BE][table UTF-8]                         -> 0x01: reads are recorded
 *   [0x13] retired (was an index of row versions: the store's own versions of the row key,
 *          walked with versionAt, serve row history)
 *
 *   entry: | version u8 = 1 | time µs i64 LE | actor | request id | statement | outcome u8 |
 *          | rows i64 LE | reason |          (texts: TextCodec, u16 LE length + UTF-8)
 * </pre>
 */
final class AuditTrail {
  static final byte ENTRIES = 0x10;
  static final byte BY_TIME = 0x11;
  static final byte READ_AUDITED = 0x12;
  static final byte ROW_VERSIONS = 0x13;

  private static final byte VERSION = 1;
  private static final String[] OUTCOMES = {"applied", "rejected", "read"};
  private static final int MAX_STATEMENT = 4096;

  private AuditTrail() {}

  /** Adds the audit entry of one command to {@code batch}. */
  static void record(
      WriteBatch batch,
      TenantId tenant,
      LogPosition position,
      long micros,
      String actor,
      String requestId,
      String statement,
      int outcome,
      long rows,
      String reason) {
    record(
        batch,
        entryKey(tenant, position.value()),
        head(micros, actor, requestId, statement),
        outcome,
        rows,
        reason);
  }

  /**
   * Adds an entry whose key ({@link #entryKey}) and head ({@link #head}) were computed before the
   * command was applied (replay computes them on its decoding thread); the same bytes as {@link
   * #record(WriteBatch, TenantId, LogPosition, long, String, String, String, int, long, String)}.
   */
  static void record(
      WriteBatch batch, byte[] key, byte[] head, int outcome, long rows, String reason) {
    batch.put(key, entry(head, outcome, rows, reason));
  }

  /**
   * The positions at which the row with store key {@code rowKey} changed (deletes included), oldest
   * first: the newest {@code limit} of them. The store keeps every version of the key, so this
   * walks them back with {@link StoreReader#versionAt}, one descent per version.
   */
  static List<Long> versionPositions(StoreReader view, byte[] rowKey, int limit) {
    List<Long> out = new ArrayList<>();
    LogPosition p = view.versionAt(rowKey, view.position());
    while (p != null && out.size() < limit) {
      out.add(p.value());
      p = p.value() > 1 ? view.versionAt(rowKey, LogPosition.of(p.value() - 1)) : null;
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** The audit entry of the command at {@code position}, or null. */
  static AuditEntry at(StoreReader view, TenantId tenant, long position) {
    byte[] entry = view.get(entryKey(tenant, position));
    return entry == null ? null : decode(position, entry);
  }

  /**
   * The first bytes of every key space that holds a tenant's data: the kernel's catalog (0x00),
   * rows (0x01) and index entries (0x02), and the runtime's audit entries, time index, read
   * settings and row versions (whose keys continue with a row key, 0x01 + tenant).
   */
  static List<byte[]> tenantPrefixes(TenantId tenant) {
    List<byte[]> prefixes = new ArrayList<>();
    for (int space : new int[] {0x00, 0x01, 0x02, ENTRIES, BY_TIME, READ_AUDITED}) {
      prefixes.add(ByteBuffer.allocate(9).put((byte) space).putLong(tenant.value()).array());
    }
    prefixes.add(
        ByteBuffer.allocate(10).put(ROW_VERSIONS).put((byte) 0x01).putLong(tenant.value()).array());
    return prefixes;
  }

  static int outcomeOf(Reply reply) {
    return reply instanceof Reply.Applied ? 0 : 1;
  }

  static long rowsOf(Reply reply) {
    return reply instanceof Reply.Applied a ? a.rowsAffected() : 0;
  }

  static String reasonOf(Reply reply) {
    return reply instanceof Reply.Rejected r ? r.message() : "";
  }

  static final int READ = 2;

  /** What a kernel command asked for, in SQL words. */
  static String describe(Command command) {
    return switch (command.kind()) {
      case CREATE_TABLE -> "CREATE TABLE " + ((Command.CreateTable) command).name();
      case CREATE_INDEX -> {
        Command.CreateIndex c = (Command.CreateIndex) command;
        yield "CREATE INDEX " + c.name() + " ON " + c.table();
      }
      case INSERT -> {
        Command.Insert c = (Command.Insert) command;
        yield "INSERT INTO " + c.table() + " (" + c.rows().size() + " rows)";
      }
      case UPDATE -> "UPDATE " + ((Command.Update) command).table();
      case DELETE -> "DELETE FROM " + ((Command.Delete) command).table();
      case NOOP -> "NOOP " + ((Command.Noop) command).note();
    };
  }

  static byte[] readAuditedKey(TenantId tenant, String table) {
    byte[] name = table.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(9 + name.length)
        .put(READ_AUDITED)
        .putLong(tenant.value())
        .put(name)
        .array();
  }

  static boolean isReadAudited(StoreReader view, LogPosition at, TenantId tenant, String table) {
    return view.getAt(readAuditedKey(tenant, table), at) != null;
  }

  /** Entries with positions in [from, to], oldest first, at most {@code limit}. */
  static List<AuditEntry> byPosition(
      StoreReader view, TenantId tenant, long from, long to, int limit) {
    List<AuditEntry> out = new ArrayList<>();
    KeyRange range =
        new KeyRange(entryKey(tenant, Math.max(0, from)), entryKey(tenant, Math.max(0, to) + 1));
    try (StoreCursor cursor = view.scan(range, false, limit)) {
      while (cursor.next()) {
        long position = ByteBuffer.wrap(cursor.key()).getLong(9);
        out.add(decode(position, cursor.value()));
      }
    }
    return out;
  }

  /**
   * Entries stamped with a time in [from, to], in time order, at most {@code limit}. Times never
   * decrease along the log (the kernel agent holds time still while the clock is behind the last
   * record), so the first entry at or after {@code from} is found by a binary search over positions
   * (one short seek per step) and the rest is one scan: no separate time index.
   */
  static List<AuditEntry> byTime(
      StoreReader view, TenantId tenant, Instant from, Instant to, int limit) {
    long fromMicros = KernelAgent.toMicros(from);
    long toMicros = KernelAgent.toMicros(to);
    long low = 0;
    long high = view.position().value() + 1;
    while (low < high) {
      long mid = (low + high) >>> 1;
      long micros = firstMicrosAtOrAfter(view, tenant, mid);
      if (micros == Long.MAX_VALUE || micros >= fromMicros) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    List<AuditEntry> out = new ArrayList<>();
    try (StoreCursor cursor = view.scan(entriesFrom(tenant, low), false, Integer.MAX_VALUE)) {
      while (out.size() < limit && cursor.next()) {
        long position = ByteBuffer.wrap(cursor.key()).getLong(9);
        AuditEntry entry = decode(position, cursor.value());
        if (KernelAgent.toMicros(entry.time()) > toMicros) {
          break;
        }
        out.add(entry);
      }
    }
    return out;
  }

  /** The time of the tenant's first entry at or after {@code position}; MAX_VALUE if none. */
  private static long firstMicrosAtOrAfter(StoreReader view, TenantId tenant, long position) {
    try (StoreCursor cursor = view.scan(entriesFrom(tenant, position), false, 1)) {
      if (!cursor.next()) {
        return Long.MAX_VALUE;
      }
      long at = ByteBuffer.wrap(cursor.key()).getLong(9);
      return KernelAgent.toMicros(decode(at, cursor.value()).time());
    }
  }

  /** The tenant's audit entries from {@code position} on. */
  private static KeyRange entriesFrom(TenantId tenant, long position) {
    byte[] all = ByteBuffer.allocate(9).put(ENTRIES).putLong(tenant.value()).array();
    return new KeyRange(entryKey(tenant, position), KeyRange.successorOfPrefix(all));
  }

  static byte[] entryKey(TenantId tenant, long position) {
    return ByteBuffer.allocate(17).put(ENTRIES).putLong(tenant.value()).putLong(position).array();
  }

  /**
   * The part of an entry known before the command is applied: version, time, actor, request id and
   * statement (the outcome, row count and reason follow, see {@link #entry}).
   */
  static byte[] head(long micros, String actor, String requestId, String statement) {
    byte[] a = TextCodec.utf8(actor);
    byte[] r = TextCodec.utf8(requestId);
    byte[] s = TextCodec.utf8(clipped(statement));
    ByteBuffer out =
        ByteBuffer.allocate(1 + 8 + 6 + a.length + r.length + s.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(VERSION).putLong(micros);
    TextCodec.put(out, a);
    TextCodec.put(out, r);
    TextCodec.put(out, s);
    return out.array();
  }

  /** The whole entry: {@code head} followed by the outcome, the row count and the reason. */
  private static byte[] entry(byte[] head, int outcome, long rows, String reason) {
    byte[] why = TextCodec.utf8(clipped(reason));
    ByteBuffer out =
        ByteBuffer.allocate(head.length + 1 + 8 + 2 + why.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(head).put((byte) outcome).putLong(rows);
    TextCodec.put(out, why);
    return out.array();
  }

  /** {@code text} cut to its first {@link #MAX_STATEMENT} chars, then "...", when longer. */
  private static String clipped(String text) {
    return text.length() > MAX_STATEMENT ? text.substring(0, MAX_STATEMENT) + "..." : text;
  }

  private static AuditEntry decode(long position, byte[] bytes) {
    String where = "audit entry at position " + position;
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (in.get() != VERSION) {
        throw new CorruptionException(where + " has an unknown version");
      }
      long micros = in.getLong();
      String actor = TextCodec.read(in, TextCodec.MAX_BYTES, where, "actor");
      String request = TextCodec.read(in, TextCodec.MAX_BYTES, where, "request id");
      String statement = TextCodec.read(in, TextCodec.MAX_BYTES, where, "statement");
      int outcome = in.get();
      long rows = in.getLong();
      String reason = TextCodec.read(in, TextCodec.MAX_BYTES, where, "reason");
      return new AuditEntry(
          LogPosition.of(position),
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
          actor,
          request,
          statement,
          OUTCOMES[outcome],
          rows,
          reason);
    } catch (RuntimeException e) {
      if (e instanceof CorruptionException c) {
        throw c;
      }
      throw new CorruptionException(where + " does not decode", e);
    }
  }
}
