package io.veritydb.api.internal;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of a command record in the log: who asked (the actor), under which request id, and
 * the encoded kernel command. The wall-clock time is in the record header.
 *
 * <pre>
 *   0         1      2              4              4+a            6+a            6+a+r
 *   | version | type | actor length | actor UTF-8  | request length | request UTF-8 | command ... |
 *   | u8 = 1  | u8   | u16 LE       | a bytes      | u16 LE         | r bytes       |             |
 *
 *   type 0: a kernel command (CommandCodec); type 1: a runtime SystemCommand.
 * </pre>
 *
 * <p>The actor and the request id are never null ("" when none was given); the command is encoded
 * by {@link io.veritydb.kernel.CommandCodec}.
 */
public final class CommandEnvelope {
  public static final byte VERSION = 1;

  /** Longest actor or request id, in UTF-8 bytes. */
  public static final int MAX_LABEL_BYTES = 1024;

  public static final byte KERNEL = 0;
  public static final byte SYSTEM = 1;

  private final byte type;
  private final String actor;
  private final String requestId;
  private final byte[] command;

  public CommandEnvelope(byte type, String actor, String requestId, byte[] command) {
    checkLabel("actor", actor);
    checkLabel("request id", requestId);
    if (type != KERNEL && type != SYSTEM) {
      throw new IllegalArgumentException("unknown command type " + type);
    }
    this.type = type;
    this.actor = actor;
    this.requestId = requestId;
    this.command = command;
  }

  /** {@link #KERNEL} or {@link #SYSTEM}. */
  public byte type() {
    return type;
  }

  public String actor() {
    return actor;
  }

  public String requestId() {
    return requestId;
  }

  /** The encoded command; the array is shared, do not modify it. */
  public byte[] command() {
    return command;
  }

  private static void checkLabel(String what, String value) {
    if (value == null) {
      throw new BadRequestException(what + " must not be null (use \"\" for none)");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
      throw new BadRequestException(
          what
              + " is longer than "
              + MAX_LABEL_BYTES
              + " bytes in UTF-8: "
              + value.substring(0, 32)
              + "...");
    }
  }

  public byte[] encode() {
    byte[] a = actor.getBytes(StandardCharsets.UTF_8);
    byte[] r = requestId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(2 + 2 + a.length + 2 + r.length + command.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(VERSION).put(type).putShort((short) a.length).put(a).putShort((short) r.length).put(r);
    out.put(command);
    return out.array();
  }

  /**
   * Decodes a payload; damage (a wrong version or type, a label length beyond {@link
   * #MAX_LABEL_BYTES} or the bytes there, a label that is not UTF-8) is a {@link
   * CorruptionException} whose message starts with {@code where}. What decodes encodes back to the
   * same bytes.
   */
  public static CommandEnvelope decode(byte[] payload, String where) {
    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < 6 || in.get() != VERSION) {
      throw new CorruptionException(where + ": not a version " + VERSION + " command envelope");
    }
    byte type = in.get();
    if (type != KERNEL && type != SYSTEM) {
      throw new CorruptionException(where + ": unknown command type " + type);
    }
    String actor = label(in, "actor", where);
    String request = label(in, "request id", where);
    byte[] command = Arrays.copyOfRange(payload, in.position(), payload.length);
    return new CommandEnvelope(type, actor, request, command);
  }

  private static String label(ByteBuffer in, String what, String where) {
    if (in.remaining() < 2) {
      throw new CorruptionException(
          where + ": command envelope ends inside the " + what + " length");
    }
    int length = Short.toUnsignedInt(in.getShort());
    if (length > MAX_LABEL_BYTES || length > in.remaining()) {
      throw new CorruptionException(
          where + ": command envelope " + what + " length " + length + " exceeds what is there");
    }
    try {
      return TextCodec.decodeUtf8(in, length);
    } catch (CharacterCodingException e) {
      throw new CorruptionException(where + ": command envelope " + what + " is not valid UTF-8");
    }
  }
}
