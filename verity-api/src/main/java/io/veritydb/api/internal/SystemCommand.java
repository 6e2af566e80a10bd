package io.veritydb.api.internal;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Commands the runtime itself applies (not the SQL kernel): compliance settings and events. They go
 * through the log like every other command, so their effects are derived state too.
 *
 * <pre>
 *   | type u8 | fields ...                                                        |
 *   | 1       | AuditReads: table (u16 LE length + UTF-8), on (u8)                |
 *   | 2       | ReadEvent: table, at position (i64 LE), rows (i64 LE), detail     |
 *   | 3       | ShredTenant: tenant (i64 LE), reason                              |
 * </pre>
 */
public sealed interface SystemCommand {
  /** Marks a table so that every read of it is recorded (or stops recording). */
  record AuditReads(String table, boolean on) implements SystemCommand {}

  /** A recorded read: who read which rows of a table, at which position. */
  record ReadEvent(String table, long atPosition, long rows, String detail)
      implements SystemCommand {}

  /**
   * Crypto-shredding of a tenant: written under the system tenant (so it stays readable), it
   * destroys the tenant's keys and purges every version of the tenant's keys from the store.
   */
  record ShredTenant(long tenant, String reason) implements SystemCommand {}

  int MAX_TEXT = 60_000;

  static byte[] encode(SystemCommand command) {
    ByteBuffer out = ByteBuffer.allocate(2 * MAX_TEXT + 64).order(ByteOrder.LITTLE_ENDIAN);
    if (command instanceof AuditReads a) {
      out.put((byte) 1);
      text(out, a.table());
      out.put((byte) (a.on() ? 1 : 0));
    } else if (command instanceof ReadEvent r) {
      out.put((byte) 2);
      text(out, r.table());
      out.putLong(r.atPosition()).putLong(r.rows());
      text(out, r.detail());
    } else if (command instanceof ShredTenant t) {
      out.put((byte) 3);
      out.putLong(t.tenant());
      text(out, t.reason());
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /**
   * Decodes a system command; bytes that are not one (an unknown type, a truncated field, trailing
   * bytes, a text longer than {@link #MAX_TEXT} or the bytes there or not UTF-8, a flag other than
   * 0 or 1, a negative tenant) are a {@link CorruptionException} whose message starts with {@code
   * where}. What decodes encodes back to the same bytes.
   */
  static SystemCommand decode(byte[] bytes, String where) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte type = in.get();
      SystemCommand command =
          switch (type) {
            case 1 -> new AuditReads(readText(in, where), flag(in, where));
            case 2 ->
                new ReadEvent(readText(in, where), in.getLong(), in.getLong(), readText(in, where));
            case 3 -> new ShredTenant(tenant(in, where), readText(in, where));
            default -> throw new CorruptionException(where + ": unknown system command " + type);
          };
      if (in.hasRemaining()) {
        throw new CorruptionException(where + ": trailing bytes after a system command");
      }
      return command;
    } catch (java.nio.BufferUnderflowException e) {
      throw new CorruptionException(where + ": truncated system command", e);
    }
  }

  private static boolean flag(ByteBuffer in, String where) {
    byte b = in.get();
    if (b != 0 && b != 1) {
      throw new CorruptionException(where + ": system command flag " + b + " is not 0 or 1");
    }
    return b == 1;
  }

  private static long tenant(ByteBuffer in, String where) {
    long tenant = in.getLong();
    if (tenant < 0) {
      throw new CorruptionException(where + ": system command names tenant " + tenant);
    }
    return tenant;
  }

  private static void text(ByteBuffer out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_TEXT) {
      throw new BadRequestException("text of " + bytes.length + " bytes exceeds " + MAX_TEXT);
    }
    out.putShort((short) bytes.length).put(bytes);
  }

  private static String readText(ByteBuffer in, String where) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > MAX_TEXT || length > in.remaining()) {
      throw new CorruptionException(
          where
              + ": system command text of "
              + length
              + " bytes, more than "
              + Math.min(MAX_TEXT, in.remaining())
              + " (the limit or the bytes left)");
    }
    ByteBuffer text = in.slice(in.position(), length);
    in.position(in.position() + length);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(text)
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptionException(where + ": system command text is not valid UTF-8");
    }
  }
}
