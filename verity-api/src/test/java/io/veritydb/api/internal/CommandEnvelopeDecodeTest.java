package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.types.CorruptionException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Payload shapes that {@link CommandEnvelopeFuzzTest} found, each decoded to a {@link
 * CorruptionException} naming the log record.
 */
class CommandEnvelopeDecodeTest {
  private static final String WHERE = "log record at position 7";

  private static void assertCorruptionNamingTheRecord(byte[] payload) {
    CorruptionException e =
        assertThrows(
            CorruptionException.class,
            () -> CommandApplier.decode(CommandEnvelope.decode(payload, WHERE), WHERE));
    assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
  }

  @Test
  void kernelCommandWithATrailingByteIsCorruptionNamingTheRecord() {
    byte[] command = CommandCodec.encode(new Command.Noop("checkpoint"));
    byte[] payload =
        new CommandEnvelope(
                CommandEnvelope.KERNEL, "", "", Arrays.copyOf(command, command.length + 1))
            .encode();
    assertCorruptionNamingTheRecord(payload);
  }
}
