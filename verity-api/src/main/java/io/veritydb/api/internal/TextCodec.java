package io.veritydb.api.internal;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A text in the runtime's own records ({@link SystemCommand}s, {@link AuditTrail} entries): a u16
 * length (in the buffer's byte order, little-endian in both), then that many bytes of UTF-8.
 *
 * <pre>
 *   | length u16 | UTF-8 bytes (length of them) |
 * </pre>
 *
 * Reading checks the length against the caller's limit and the bytes left before it allocates, and
 * refuses bytes that are not UTF-8, so a text that reads writes back to the same bytes.
 */
final class TextCodec {
  /** The longest text the u16 length can describe, in bytes. */
  static final int MAX_BYTES = 0xFFFF;

  private TextCodec() {}

  /** The UTF-8 bytes of {@code text}, to size a buffer with before {@link #put}. */
  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@code utf8} (from {@link #utf8}, at most {@link #MAX_BYTES}) after its length. */
  static void put(ByteBuffer out, byte[] utf8) {
    Checks.checkArgument(utf8.length <= MAX_BYTES, "textBytes", utf8.length);
    out.putShort((short) utf8.length).put(utf8);
  }

  /** Writes {@code text}; one of more than {@code max} UTF-8 bytes is a bad request. */
  static void write(ByteBuffer out, String text, int max) {
    byte[] bytes = utf8(text);
    if (bytes.length > max) {
      throw new BadRequestException("text of " + bytes.length + " bytes exceeds " + max);
    }
    put(out, bytes);
  }

  /**
   * Reads a text written by {@link #put} or {@link #write}. A length over {@code max} or over the
   * bytes left, or bytes that are not UTF-8, are a {@link CorruptionException} saying "{@code
   * where}: {@code what} ..."; a buffer that ends inside the length is a {@link
   * java.nio.BufferUnderflowException}, as for the caller's other fields.
   */
  static String read(ByteBuffer in, int max, String where, String what) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > max || length > in.remaining()) {
      throw new CorruptionException(
          where
              + ": "
              + what
              + " of "
              + length
              + " bytes, more than "
              + Math.min(max, in.remaining())
              + " (the limit or the bytes left)");
    }
    try {
      return decodeUtf8(in, length);
    } catch (CharacterCodingException e) {
      throw new CorruptionException(where + ": " + what + " is not valid UTF-8");
    }
  }

  /**
   * The {@code length} bytes at {@code in}'s position (the caller checked they are there) as UTF-8,
   * refusing bytes that are not; moves the position past them either way.
   */
  static String decodeUtf8(ByteBuffer in, int length) throws CharacterCodingException {
    ByteBuffer text = in.slice(in.position(), length);
    in.position(in.position() + length);
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(text)
        .toString();
  }
}
