package io.veritydb.api.internal;

import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
public sealed interface SystemCommand extends LoggedCommand {
  /** Marks a table so that every read of it is recorded (or stops recording). */
  record AuditReads(String table, boolean on) implements SystemCommand {
    @Override
    public Kind kind() {
      return Kind.AUDIT_READS;
    }
  }

  /** A recorded read: who read which rows of a table, at which position. */
  record ReadEvent(String table, long atPosition, long rows, String detail)
      implements SystemCommand {
    @Override
    public Kind kind() {
      return Kind.READ_EVENT;
    }
  }

  /**
   * Crypto-shredding of a tenant: written under the system tenant (so it stays readable), it
   * destroys the tenant's keys and purges every version of the tenant's keys from the store.
   */
  record ShredTenant(long tenant, String reason) implements SystemCommand {
    @Override
    public Kind kind() {
      return Kind.SHRED_TENANT;
    }
  }

  int MAX_TEXT = 60_000;

  static byte[] encode(SystemCommand command) {
    ByteBuffer out = ByteBuffer.allocate(2 * MAX_TEXT + 64).order(ByteOrder.LITTLE_ENDIAN);
    switch (command.kind()) {
      case AUDIT_READS -> {
        AuditReads a = (AuditReads) command;
        out.put((byte) 1);
        TextCodec.write(out, a.table(), MAX_TEXT);
        out.put((byte) (a.on() ? 1 : 0));
      }
      case READ_EVENT -> {
        ReadEvent r = (ReadEvent) command;
        out.put((byte) 2);
        TextCodec.write(out, r.table(), MAX_TEXT);
        out.putLong(r.atPosition()).putLong(r.rows());
        TextCodec.write(out, r.detail(), MAX_TEXT);
      }
      case SHRED_TENANT -> {
        ShredTenant t = (ShredTenant) command;
        out.put((byte) 3);
        out.putLong(t.tenant());
        TextCodec.write(out, t.reason(), MAX_TEXT);
      }
      case SQL -> throw new IllegalArgumentException("not a system command: " + command);
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

  private static String readText(ByteBuffer in, String where) {
    return TextCodec.read(in, MAX_TEXT, where, "system command text");
  }
}
