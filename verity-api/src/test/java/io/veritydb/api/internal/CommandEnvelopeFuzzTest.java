package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.Mutations;
import io.veritydb.kernel.ColumnDef;
import io.veritydb.kernel.Command;
import io.veritydb.kernel.CommandCodec;
import io.veritydb.kernel.Expr;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.SqlType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz target of the payload of a command record as replay reads it from the log: {@link
 * CommandEnvelope#decode}, then {@link CommandApplier#decode} (a kernel command or a {@link
 * SystemCommand}). Any input, a mutated valid payload or random bytes, decodes (an envelope and a
 * system command then encode back to exactly the input bytes) or fails with a {@link
 * CorruptionException} naming the log record: never another exception.
 */
class CommandEnvelopeFuzzTest {
  private static final String WHERE = "log record at position 4242";

  private static Arbitrary<String> labels() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "alice", "r-17", "\u00e9t\u00e9", "\uD83D\uDE00"),
        Arbitraries.strings().ofMaxLength(12));
  }

  private static Arbitrary<byte[]> kernelCommands() {
    return Arbitraries.of(
            new Command.Noop("checkpoint"),
            new Command.CreateTable(
                "t",
                List.of(
                    new ColumnDef("id", SqlType.BIGINT, true),
                    new ColumnDef("name", SqlType.varchar(20), false),
                    new ColumnDef("amount", SqlType.decimal(10, 2), false)),
                List.of("id")),
            new Command.Insert(
                "t",
                List.of("id", "name", "at"),
                List.<Object[]>of(
                    new Object[] {1L, "x", Instant.EPOCH},
                    new Object[] {2L, null, Instant.ofEpochSecond(1_700_000_000L, 5)})),
            new Command.Update(
                "t",
                List.of(new Command.Assignment("amount", new Expr.Literal(new BigDecimal("1.25")))),
                new Expr.Compare(Expr.CmpOp.EQ, new Expr.Column("id"), new Expr.Param(0))),
            new Command.Delete("t", Expr.TRUE))
        .map(CommandCodec::encode);
  }

  private static Arbitrary<byte[]> systemCommands() {
    Arbitrary<String> text = labels();
    return Arbitraries.oneOf(
            Combinators.combine(text, Arbitraries.of(true, false))
                .as(SystemCommand.AuditReads::new),
            Combinators.combine(
                    text,
                    Arbitraries.longs().greaterOrEqual(0),
                    Arbitraries.longs().greaterOrEqual(0),
                    text)
                .as(SystemCommand.ReadEvent::new),
            Combinators.combine(Arbitraries.longs().greaterOrEqual(1), text)
                .as(SystemCommand.ShredTenant::new))
        .map(SystemCommand::encode);
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<CommandEnvelope> envelopes =
        Arbitraries.oneOf(
            Combinators.combine(labels(), labels(), kernelCommands())
                .as((a, r, c) -> new CommandEnvelope(CommandEnvelope.KERNEL, a, r, c)),
            Combinators.combine(labels(), labels(), systemCommands())
                .as((a, r, c) -> new CommandEnvelope(CommandEnvelope.SYSTEM, a, r, c)));
    return Mutations.inputs(envelopes.map(CommandEnvelope::encode), 4, 80);
  }

  @Property(tries = 4000)
  void payloadDecodesOrIsCorruptionNamingTheRecord(@ForAll("payloads") byte[] payload) {
    CommandEnvelope envelope;
    Object command;
    try {
      envelope = CommandEnvelope.decode(payload, WHERE);
      command = CommandApplier.decode(envelope, WHERE);
    } catch (CorruptionException e) {
      assertTrue(e.getMessage().contains(WHERE), e.getMessage());
      return;
    }
    assertArrayEquals(payload, envelope.encode());
    if (command instanceof SystemCommand system) {
      assertArrayEquals(envelope.command(), SystemCommand.encode(system));
    } else {
      assertTrue(command instanceof LoggedCommand.Sql, String.valueOf(command));
    }
  }
}
