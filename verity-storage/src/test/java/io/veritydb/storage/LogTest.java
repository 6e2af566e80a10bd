package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Blake3;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ChainHash;
import io.veritydb.types.ClosedException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
  @TempDir Path tmp;

  private static LogEntry text(String s) {
    return new LogEntry((byte) 20, TenantId.of(7), 1_000L, 0, s.getBytes(UTF_8));
  }

  private static final java.nio.charset.Charset UTF_8 = java.nio.charset.StandardCharsets.UTF_8;

  @Test
  void shouldStartEmptyWithTheGenesisChainHash() {
    try (Log log = Log.open(NioFileIo.INSTANCE, tmp.resolve("log"), LogOptions.defaults())) {
      assertEquals(LogPosition.NONE, log.lastPosition());
      assertEquals(Blake3.GENESIS, log.lastChainHash());
      try (LogCursor c = log.iterate(LogPosition.of(1))) {
        assertFalse(c.next());
      }
    }
  }

  @Test
  void shouldAppendReadAndReopen() {
    Path dir = tmp.resolve("log");
    List<LogEntry> model = new ArrayList<>();
    try (Log log = Log.open(NioFileIo.INSTANCE, dir, LogOptions.defaults())) {
      model.add(text("one"));
      model.add(text("two"));
      assertEquals(LogPosition.of(2), log.append(model));
      model.add(text("three"));
      assertEquals(LogPosition.of(3), log.append(List.of(model.get(2))));
      assertEquals("two", new String(log.read(LogPosition.of(2)).payload(), UTF_8));
      LogTesting.assertLogEquals(model, log);
    }
    try (Log log = Log.open(NioFileIo.INSTANCE, dir, LogOptions.defaults())) {
      LogTesting.assertLogEquals(model, log);
      assertTrue(log.damage().isEmpty());
    }
  }

  @Test
  void shouldRollSegmentsAtTheConfiguredSize() {
    SimFileIo io = new SimFileIo(1);
    Path dir = Path.of("/log");
    Random random = new Random(1);
    List<LogEntry> model = new ArrayList<>();
    try (Log log = Log.open(io, dir, LogTesting.small())) {
      for (int i = 0; i < 20; i++) {
        List<LogEntry> batch = LogTesting.batch(random, 1 + random.nextInt(30), 300);
        log.append(batch);
        model.addAll(batch);
      }
      LogTesting.assertLogEquals(model, log);
    }
    List<Path> files = io.list(dir);
    assertTrue(files.size() > 5, "segments: " + files);
    assertEquals(dir.resolve("00000000000000000001.log"), files.get(0));
    try (Log log = Log.open(io, dir, LogTesting.small())) {
      LogTesting.assertLogEquals(model, log);
      for (int p = 1; p <= model.size(); p++) {
        LogTesting.assertSame(model.get(p - 1), log.read(LogPosition.of(p)));
      }
    }
  }

  @Test
  void shouldNotTryToCompressPayloadsMarkedEncrypted() {
    byte[] repetitive = new byte[4000];
    try (Log log = Log.open(new SimFileIo(4), Path.of("/e"), LogOptions.defaults())) {
      log.append(
          List.of(
              new LogEntry(
                  (byte) 16, TenantId.SYSTEM, 0, RecordDescriptor.FLAG_ENCRYPTED, repetitive)));
      LogRecord record = log.read(LogPosition.of(1));
      assertFalse(record.isCompressed());
      assertEquals(repetitive.length, record.storedPayloadLength());
      assertArrayEquals(repetitive, record.payload());
    }
  }

  @Test
  void shouldCompressLargeRepetitivePayloadsOnlyWhenSmaller() {
    byte[] repetitive = new byte[4000];
    byte[] random = new byte[4000];
    new Random(3).nextBytes(random);
    try (Log log = Log.open(new SimFileIo(3), Path.of("/c"), LogOptions.defaults())) {
      log.append(
          List.of(
              new LogEntry((byte) 16, TenantId.SYSTEM, 0, 0, repetitive),
              new LogEntry((byte) 16, TenantId.SYSTEM, 0, 0, random)));
      LogRecord first = log.read(LogPosition.of(1));
      LogRecord second = log.read(LogPosition.of(2));
      assertTrue(first.isCompressed());
      assertTrue(first.storedPayloadLength() < 100);
      assertArrayEquals(repetitive, first.payload());
      assertFalse(second.isCompressed());
      assertArrayEquals(random, second.payload());
    }
  }

  @Test
  void shouldRejectOutOfRangeReadsAndBadEntries() {
    try (Log log = Log.open(new SimFileIo(4), Path.of("/r"), LogOptions.defaults())) {
      log.append(List.of(text("x")));
      assertThrows(BadRequestException.class, () -> log.read(LogPosition.of(2)));
      assertThrows(BadRequestException.class, () -> log.read(LogPosition.NONE));
      assertThrows(BadRequestException.class, () -> log.iterate(LogPosition.of(3)));
      assertThrows(BadRequestException.class, () -> log.append(List.of()));
      assertThrows(
          BadRequestException.class,
          () -> new LogEntry((byte) 1, TenantId.SYSTEM, 0, 0, new byte[0]));
      assertThrows(
          BadRequestException.class,
          () ->
              new LogEntry(
                  (byte) 16, TenantId.SYSTEM, 0, RecordDescriptor.FLAG_COMPRESSED, new byte[0]));
    }
  }

  @Test
  void shouldRecordAndListChainMarksAcrossReopen() {
    SimFileIo io = new SimFileIo(5);
    Path dir = Path.of("/cp");
    ChainMark first;
    ChainMark second;
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      log.append(List.of(text("a"), text("b")));
      first = log.mark();
      log.append(List.of(text("c")));
      second = log.mark();
      assertEquals(LogPosition.of(3), second.position());
      assertEquals(log.lastChainHash(), second.chainHash());
    }
    io.crash();
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      assertEquals(List.of(first, second), log.marks());
    }
  }

  @Test
  void shouldRefuseWritesWhenReadOnlyAndReadsWhenClosed() {
    SimFileIo io = new SimFileIo(6);
    Path dir = Path.of("/ro");
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      log.append(List.of(text("a")));
    }
    Log readOnly = Log.open(io, dir, LogOptions.builder().readOnly(true).build());
    assertThrows(BadRequestException.class, () -> readOnly.append(List.of(text("b"))));
    assertThrows(BadRequestException.class, readOnly::mark);
    assertEquals("a", new String(readOnly.read(LogPosition.of(1)).payload(), UTF_8));
    readOnly.close();
    assertThrows(ClosedException.class, () -> readOnly.read(LogPosition.of(1)));
  }

  @Test
  void shouldRefuseAppendsAfterAFailedFsyncUntilReopened() {
    SimFileIo io = new SimFileIo(7);
    Path dir = Path.of("/f");
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      log.append(List.of(text("a")));
      io.failNextSyncs(1);
      assertThrows(UnavailableException.class, () -> log.append(List.of(text("b"))));
      assertEquals(LogPosition.of(1), log.lastPosition());
      assertThrows(UnavailableException.class, () -> log.append(List.of(text("c"))));
      assertEquals("a", new String(log.read(LogPosition.of(1)).payload(), UTF_8));
    }
    io.crash();
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      assertEquals(LogPosition.of(1), log.lastPosition());
      log.append(List.of(text("d")));
      assertEquals(LogPosition.of(2), log.lastPosition());
    }
  }

  @Test
  void shouldFailWithDiskFullAndKeepWhatWasAcknowledged() {
    SimFileIo io = new SimFileIo(8);
    Path dir = Path.of("/full");
    io.setDiskBudget(2000);
    byte[] big = new byte[3000];
    new Random(8).nextBytes(big);
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      log.append(List.of(text("a")));
      UnavailableException e =
          assertThrows(
              UnavailableException.class,
              () -> log.append(List.of(new LogEntry((byte) 16, TenantId.SYSTEM, 0, 0, big))));
      assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    }
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      assertEquals(LogPosition.of(1), log.lastPosition());
    }
  }

  @Test
  void shouldServeReadsWhileAnotherThreadAppends() throws Exception {
    FileIo io = NioFileIo.INSTANCE;
    Random random = new Random(9);
    List<LogEntry> model = new ArrayList<>();
    try (Log log =
        Log.open(io, tmp.resolve("c"), LogOptions.builder().segmentSize(16384).build())) {
      ExecutorService reader = Executors.newSingleThreadExecutor();
      List<LogEntry> batches = LogTesting.batch(random, 600, 200);
      Future<Integer> reads =
          reader.submit(
              () -> {
                int seen = 0;
                while (seen < batches.size()) {
                  long last = log.lastPosition().value();
                  for (long p = seen + 1L; p <= last; p++) {
                    LogTesting.assertSame(batches.get((int) p - 1), log.read(LogPosition.of(p)));
                  }
                  seen = (int) last;
                }
                return seen;
              });
      for (int i = 0; i < batches.size(); i += 20) {
        List<LogEntry> batch = batches.subList(i, i + 20);
        log.append(batch);
        model.addAll(batch);
      }
      assertEquals(600, reads.get());
      reader.shutdown();
      LogTesting.assertLogEquals(model, log);
    }
  }

  @Test
  void shouldExposeTheRecordAsStored() {
    try (Log log = Log.open(new SimFileIo(11), Path.of("/s"), LogOptions.defaults())) {
      log.append(List.of(text("stored")));
      LogRecord r = log.read(LogPosition.of(1));
      byte[] stored = r.storedBytes();
      assertEquals(RecordDescriptor.HEADER_LENGTH + r.storedPayloadLength(), stored.length);
      assertEquals(RecordDescriptor.MAGIC, RecordCodec.getInt(stored, 0));
      assertEquals(1L, RecordCodec.position(stored, 0));
      assertEquals(Blake3.GENESIS, ChainHash.of(stored, RecordDescriptor.PREVIOUS_CHAIN_OFFSET));
    }
  }

  @Test
  void shouldVerifyACleanLog() {
    SimFileIo io = new SimFileIo(10);
    Path dir = Path.of("/v");
    try (Log log = Log.open(io, dir, LogOptions.defaults())) {
      log.append(LogTesting.batch(new Random(10), 200, 100));
      log.mark();
    }
    VerifyReport report = Log.verify(io, dir, 2);
    assertTrue(report.ok());
    assertEquals(LogPosition.of(200), report.lastGoodPosition());
    assertEquals(1, report.marks().size());
  }
}
