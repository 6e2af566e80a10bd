package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The text layout shared by system commands and audit entries, and what reading refuses. */
class TextCodecTest {
  private static ByteBuffer buffer() {
    return ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer bytes(int... values) {
    ByteBuffer in = ByteBuffer.allocate(values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      in.put((byte) v);
    }
    return in.flip();
  }

  @Test
  void writesALittleEndianLengthThenUtf8AndReadsItBack() {
    ByteBuffer out = buffer();
    TextCodec.write(out, "ward é", 100);
    byte[] written = new byte[out.flip().remaining()];
    out.get(written);
    assertArrayEquals(
        new byte[] {7, 0, 'w', 'a', 'r', 'd', ' ', (byte) 0xC3, (byte) 0xA9}, written);
    ByteBuffer in = ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("ward é", TextCodec.read(in, 100, "record 3", "text"));
    assertEquals(0, in.remaining());
  }

  @Test
  void refusesToWriteATextOverTheLimit() {
    BadRequestException e =
        assertThrows(BadRequestException.class, () -> TextCodec.write(buffer(), "abcd", 3));
    assertEquals("text of 4 bytes exceeds 3", e.getMessage());
  }

  @Test
  void readsALengthOverTheLimitOrTheBytesLeftAsCorruptionBeforeAllocating() {
    CorruptionException overLimit =
        assertThrows(
            CorruptionException.class,
            () -> TextCodec.read(bytes(4, 0, 'a', 'b', 'c', 'd'), 3, "record 3", "table name"));
    assertEquals(
        "record 3: table name of 4 bytes, more than 3 (the limit or the bytes left)",
        overLimit.getMessage());
    CorruptionException overBytesLeft =
        assertThrows(
            CorruptionException.class,
            () -> TextCodec.read(bytes(0xFF, 0xFF, 'a'), 100, "record 3", "table name"));
    assertEquals(
        "record 3: table name of 65535 bytes, more than 1 (the limit or the bytes left)",
        overBytesLeft.getMessage());
  }

  @Test
  void readsBytesThatAreNotUtf8AsCorruption() {
    CorruptionException e =
        assertThrows(
            CorruptionException.class,
            () -> TextCodec.read(bytes(2, 0, 'a', 0xC3), 100, "record 3", "detail"));
    assertEquals("record 3: detail is not valid UTF-8", e.getMessage());
  }

  @Test
  void systemCommandsUseItWithTheirLimitAndName() {
    SystemCommand event = new SystemCommand.ReadEvent("patients", 5, 2, "id = 1");
    byte[] encoded = SystemCommand.encode(event);
    assertEquals(event, SystemCommand.decode(encoded, "log record 9"));
    encoded[encoded.length - 1] = (byte) 0xC3; // the detail ends in a lone UTF-8 lead byte
    CorruptionException e =
        assertThrows(
            CorruptionException.class, () -> SystemCommand.decode(encoded, "log record 9"));
    assertEquals("log record 9: system command text is not valid UTF-8", e.getMessage());
    assertInstanceOf(
        BadRequestException.class,
        assertThrows(
            RuntimeException.class,
            () ->
                SystemCommand.encode(
                    new SystemCommand.AuditReads("x".repeat(SystemCommand.MAX_TEXT + 1), true))));
  }
}
