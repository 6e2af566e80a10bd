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

  @Test
  void actorOfBytesThatAreNotUtf8IsCorruptionNamingTheRecord() {
    byte[] command = CommandCodec.encode(new Command.Noop("checkpoint"));
    byte[] payload = new byte[2 + 2 + CommandEnvelope.MAX_LABEL_BYTES + 2 + command.length];
    payload[0] = CommandEnvelope.VERSION;
    payload[1] = CommandEnvelope.KERNEL;
    payload[2] = (byte) CommandEnvelope.MAX_LABEL_BYTES;
    payload[3] = (byte) (CommandEnvelope.MAX_LABEL_BYTES >>> 8);
    Arrays.fill(payload, 4, 4 + CommandEnvelope.MAX_LABEL_BYTES, (byte) 0xFF);
    System.arraycopy(command, 0, payload, payload.length - command.length, command.length);
    assertCorruptionNamingTheRecord(payload);
  }

  private static byte[] systemPayload(byte[] command) {
    return new CommandEnvelope(CommandEnvelope.SYSTEM, "", "", command).encode();
  }

  @Test
  void systemCommandTextThatIsNotUtf8OrAFlagOtherThan0Or1IsCorruptionNamingTheRecord() {
    byte[] event = SystemCommand.encode(new SystemCommand.ReadEvent("t", 1, 2, "ab"));
    event[event.length - 1] = (byte) 0xC3; // the detail's last byte: a lead byte without its tail
    assertCorruptionNamingTheRecord(systemPayload(event));

    byte[] audit = SystemCommand.encode(new SystemCommand.AuditReads("t", true));
    audit[audit.length - 1] = 2; // the on/off flag
    assertCorruptionNamingTheRecord(systemPayload(audit));
  }
}
