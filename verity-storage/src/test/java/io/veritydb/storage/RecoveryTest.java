package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recovery of segments in the format without a header (no preallocation: the file size is the end
 * of the log, zeros after the last record are a torn tail); {@link PreallocatedRecoveryTest} runs
 * the same cases on preallocated segments.
 */
class RecoveryTest {
  protected final Path dir = Path.of("/rec");
  protected SimFileIo io;
  protected List<LogEntry> model;

  /** The options every log of the test is opened with. */
  LogOptions options() {
    return LogOptions.builder()
        .segmentSize(4096)
        .compressionThreshold(64)
        .parallelism(1)
        .preallocate(0)
        .build();
  }

  @BeforeEach
  void setUp() {
    io = new SimFileIo(11);
    model = new ArrayList<>();
    Random random = new Random(11);
    try (Log log = Log.open(io, dir, options())) {
      for (int i = 0; i < 12; i++) {
        List<LogEntry> batch = LogTesting.batch(random, 5, 400);
        log.append(batch);
        model.addAll(batch);
      }
    }
    assertTrue(io.list(dir).size() >= 3, "test needs several segments: " + io.list(dir));
  }

  List<Path> segments() {
    List<Path> s = new ArrayList<>(io.list(dir));
    s.removeIf(p -> !p.toString().endsWith(".log"));
    return s;
  }

  Path lastSegment() {
    List<Path> s = segments();
    return s.get(s.size() - 1);
  }

  void write(Path file, long offset, byte[] bytes) {
    try (FileHandle h = io.open(file, FileIo.Mode.WRITE)) {
      h.write(ByteBuffer.wrap(bytes), offset);
      h.sync();
    }
  }

  long size(Path file) {
    try (FileHandle h = io.open(file, FileIo.Mode.READ)) {
      return h.size();
    }
  }

  CorruptionException openFails() {
    return assertThrows(CorruptionException.class, () -> Log.open(io, dir, options()));
  }

  /** Offset of the record at {@code position} in its segment, via a read-only open. */
  long[] locate(long position) {
    LogOptions inspect =
        LogOptions.builder().readOnly(true).openCheck(LogOptions.OpenCheck.FROM_LAST_MARK).build();
    try (Log log = Log.open(io, dir, inspect)) {
      Segment s = log.segmentOf(position);
      return new long[] {s.firstPosition(), s.offsetOf(position), s.endOf(position)};
    }
  }

  @Test
  void recoversTornTailOfZerosToLastWholeRecord() {
    Path last = lastSegment();
    write(last, size(last), new byte[700]);
    try (Log log = Log.open(io, dir, options())) {
      LogTesting.assertLogEquals(model, log);
      assertEquals(Damage.Kind.TORN_TAIL, log.damage().orElseThrow().kind());
    }
    try (Log log = Log.open(io, dir, options())) {
      assertTrue(log.damage().isEmpty(), "the tail was cut off and synced");
    }
  }

  @Test
  void recoversATornHeaderOfAFewBytesAtTheEndOfALargeSegment() {
    SimFileIo disk = new SimFileIo(13);
    Path large = Path.of("/large");
    List<LogEntry> entries = LogTesting.batch(new Random(13), 40, 400);
    LogOptions options =
        LogOptions.builder().parallelism(1).preallocate(options().preallocate()).build();
    try (Log log = Log.open(disk, large, options)) {
      log.append(entries);
    }
    Path segment = large.resolve(Segment.fileName(1));
    for (int garbage = 1; garbage < RecordDescriptor.HEADER_LENGTH; garbage += 7) {
      try (FileHandle h = disk.open(segment, FileIo.Mode.WRITE)) {
        h.write(ByteBuffer.wrap(new byte[garbage]), h.size());
        h.sync();
      }
      try (Log log = Log.open(disk, large, options)) {
        LogTesting.assertLogEquals(entries, log);
        assertEquals(Damage.Kind.TORN_TAIL, log.damage().orElseThrow().kind());
      }
    }
  }

  @Test
  void recoversTornTailOfGarbageToLastWholeRecord() {
    Path last = lastSegment();
    byte[] garbage = new byte[300];
    new Random(5).nextBytes(garbage);
    write(last, size(last), garbage);
    try (Log log = Log.open(io, dir, options())) {
      LogTesting.assertLogEquals(model, log);
    }
  }

  @Test
  void shouldReportABadRecordFollowedByValidOnesInTheLastSegment() {
    long position = model.size() - 2L;
    long[] where = locate(position);
    Path segment = dir.resolve(Segment.fileName(where[0]));
    write(segment, where[1] + 90, new byte[] {(byte) 0x5A});
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("byte offset " + where[1]), e.getMessage());
    assertTrue(e.getMessage().contains("log position " + position), e.getMessage());
  }

  @Test
  void shouldReportABitFlipInTheLastRecordEvenWithATornTailAfterIt() {
    long[] where = locate(model.size());
    Path segment = dir.resolve(Segment.fileName(where[0]));
    io.flipBit(segment, where[1] + RecordDescriptor.HEADER_LENGTH / 2, 3);
    write(segment, size(segment), new byte[3 * TailInspector.FLIP_SEARCH_LIMIT]);
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains("single bit flip"), e.getMessage());
  }

  @Test
  void shouldReportABadRecordInAnEarlierSegment() {
    Path first = segments().get(0);
    write(first, 200, new byte[] {1, 2, 3});
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains(first.toString()), e.getMessage());
  }

  @Test
  void shouldReportAMissingSegment() {
    Path middle = segments().get(1);
    io.delete(middle);
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains("segment gap"), e.getMessage());
  }

  @Test
  void shouldReportAMissingFirstSegment() {
    io.delete(segments().get(0));
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains("first segment"), e.getMessage());
  }

  @Test
  void shouldReportARenamedSegment() {
    Path second = segments().get(1);
    long first = Segment.parseFileName(second.getFileName().toString());
    io.rename(second, dir.resolve(Segment.fileName(first + 1)));
    openFails();
  }

  @Test
  void shouldReportABrokenChainEvenWhenTheCrcWasRecomputed() {
    tamperWithRecomputedCrc(3);
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains("broken hash chain"), e.getMessage());
    assertTrue(e.getMessage().contains("log position 4"), e.getMessage());
  }

  @Test
  void shouldChainOnlyAfterTheLastMarkWhenAskedAndLeaveTheRestToVerify() {
    try (Log log = Log.open(io, dir, options())) {
      log.mark();
      List<LogEntry> more = LogTesting.batch(new Random(14), 10, 300);
      log.append(more);
      model.addAll(more);
    }
    tamperWithRecomputedCrc(3);
    openFails();
    LogOptions trusting =
        LogOptions.builder()
            .segmentSize(4096)
            .parallelism(1)
            .preallocate(options().preallocate())
            .openCheck(LogOptions.OpenCheck.FROM_LAST_MARK)
            .build();
    try (Log log = Log.open(io, dir, trusting)) {
      assertEquals(LogPosition.of(model.size()), log.lastPosition());
      LogTesting.assertSame(model.get(model.size() - 1), log.read(log.lastPosition()));
    }
    VerifyReport report = Log.verify(io, dir, 1);
    assertEquals(4, report.damage().orElseThrow().position());
    tamperWithRecomputedCrc(model.size() - 3L);
    assertThrows(CorruptionException.class, () -> Log.open(io, dir, trusting));
  }

  /**
   * A directory written when the chain mark file was called {@code checkpoints.dat}: read-only
   * opens and {@link Log#verify} read it where it is, a writable open renames it (durably) and
   * appends to it. The tampered record before the mark shows which opens trusted the mark.
   */
  @Test
  void shouldReadTheChainMarkFileUnderItsOlderNameAndRenameItOnAWritableOpen() {
    ChainMark mark;
    try (Log log = Log.open(io, dir, options())) {
      mark = log.mark();
    }
    Path marks = dir.resolve(ChainMarks.FILE_NAME);
    Path legacy = dir.resolve(ChainMarks.LEGACY_FILE_NAME);
    io.rename(marks, legacy);
    io.syncDirectory(dir);
    tamperWithRecomputedCrc(3);
    LogOptions trusting =
        LogOptions.builder()
            .segmentSize(4096)
            .parallelism(1)
            .preallocate(options().preallocate())
            .openCheck(LogOptions.OpenCheck.FROM_LAST_MARK)
            .build();
    LogOptions readOnlyTrusting =
        LogOptions.builder()
            .readOnly(true)
            .parallelism(1)
            .openCheck(LogOptions.OpenCheck.FROM_LAST_MARK)
            .build();

    try (Log log = Log.open(io, dir, readOnlyTrusting)) {
      assertEquals(List.of(mark), log.marks());
      assertTrue(log.damage().isEmpty(), "the mark at " + mark.position() + " was not trusted");
    }
    VerifyReport report = Log.verify(io, dir, 1);
    assertEquals(List.of(mark), report.marks());
    assertEquals(legacy, report.marksFile());
    assertEquals(4, report.damage().orElseThrow().position());
    assertTrue(io.exists(legacy) && !io.exists(marks), "read-only opens renamed " + legacy);

    try (Log log = Log.open(io, dir, trusting)) {
      assertEquals(List.of(mark), log.marks());
      assertEquals(LogPosition.of(model.size()), log.lastPosition());
      List<LogEntry> more = LogTesting.batch(new Random(17), 3, 100);
      log.append(more);
      model.addAll(more);
      log.mark();
    }
    io.crash();
    assertTrue(io.exists(marks), marks + " is missing after a crash");
    assertFalse(io.exists(legacy), legacy + " is still there");
    try (Log log = Log.open(io, dir, trusting)) {
      assertEquals(2, log.marks().size());
      assertEquals(mark, log.marks().get(0));
      assertEquals(LogPosition.of(model.size()), log.marks().get(1).position());
    }
    assertEquals(marks, Log.verify(io, dir, 1).marksFile());
  }

  @Test
  @SuppressWarnings("deprecation") // the deprecated constant is what this test is about
  void shouldTreatTheDeprecatedFromLastCheckpointAsFromLastMark() {
    LogOptions deprecated =
        LogOptions.builder()
            .segmentSize(4096)
            .parallelism(1)
            .preallocate(options().preallocate())
            .openCheck(LogOptions.OpenCheck.FROM_LAST_CHECKPOINT)
            .build();
    assertEquals(LogOptions.OpenCheck.FROM_LAST_MARK, deprecated.openCheck());
    try (Log log = Log.open(io, dir, options())) {
      log.mark();
    }
    tamperWithRecomputedCrc(3);
    openFails();
    try (Log log = Log.open(io, dir, deprecated)) {
      assertEquals(LogPosition.of(model.size()), log.lastPosition());
    }
  }

  private void tamperWithRecomputedCrc(long position) {
    long[] where = locate(position);
    Path segment = dir.resolve(Segment.fileName(where[0]));
    int length = (int) (where[2] - where[1]);
    byte[] record = new byte[length];
    try (FileHandle h = io.open(segment, FileIo.Mode.READ)) {
      h.read(ByteBuffer.wrap(record), where[1]);
    }
    record[RecordDescriptor.HEADER_LENGTH] ^= 1;
    int stored = RecordCodec.storedLength(record, 0);
    RecordCodec.writeCrc(new CRC32C(), record, 0, stored);
    write(segment, where[1], record);
  }

  @Test
  void shouldOpenReadOnlyUpToTheDamageAndReportIt() {
    long[] where = locate(30);
    Path segment = dir.resolve(Segment.fileName(where[0]));
    write(segment, where[1] + 3, new byte[] {9});
    try (Log log = Log.open(io, dir, LogOptions.builder().readOnly(true).build())) {
      Damage damage = log.damage().orElseThrow();
      assertEquals(Damage.Kind.CORRUPTION, damage.kind());
      assertEquals(30, damage.position());
      assertEquals(segment, damage.segment());
      assertEquals(where[1], damage.offset());
      assertEquals(LogPosition.of(29), log.lastPosition());
      LogTesting.assertLogEquals(model.subList(0, 29), log);
    }
    VerifyReport report = Log.verify(io, dir, 1);
    assertEquals(30, report.damage().orElseThrow().position());
  }

  @Test
  void shouldReportAChainMarkBeyondTheEndOfTheLog() {
    try (Log log = Log.open(io, dir, options())) {
      log.mark();
    }
    Path last = lastSegment();
    try (FileHandle h = io.open(last, FileIo.Mode.WRITE)) {
      h.truncate(0);
      h.sync();
    }
    CorruptionException e = openFails();
    assertTrue(e.getMessage().contains("acknowledged records are missing"), e.getMessage());
  }

  @Test
  void shouldReportAChainThatDiffersFromAChainMark() {
    SimFileIo disk = new SimFileIo(15);
    Path d = Path.of("/cpx");
    try (Log log = Log.open(disk, d, options())) {
      log.mark();
      log.append(LogTesting.batch(new Random(15), 10, 100));
      log.mark();
      log.append(LogTesting.batch(new Random(16), 10, 100));
    }
    Path file = d.resolve(ChainMarks.FILE_NAME);
    byte[] entry = new byte[ChainMarks.ENTRY];
    try (FileHandle h = disk.open(file, FileIo.Mode.READ)) {
      h.read(ByteBuffer.wrap(entry), ChainMarks.ENTRY);
    }
    entry[20] ^= 1;
    CRC32C crc = new CRC32C();
    crc.update(entry, 0, ChainMarks.ENTRY - 4);
    RecordCodec.putInt(entry, ChainMarks.ENTRY - 4, (int) crc.getValue());
    try (FileHandle h = disk.open(file, FileIo.Mode.WRITE)) {
      h.write(ByteBuffer.wrap(entry), ChainMarks.ENTRY);
      h.sync();
    }
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> Log.open(disk, d, options()));
    assertTrue(e.getMessage().contains("differs from the chain mark"), e.getMessage());
    assertTrue(e.getMessage().contains("log position 10"), e.getMessage());
  }

  @Test
  void shouldContinueAppendingAfterRecoveringATornTail() {
    Path last = lastSegment();
    long size = size(last);
    try (FileHandle h = io.open(last, FileIo.Mode.WRITE)) {
      h.truncate(size - 10);
      h.sync();
    }
    model.remove(model.size() - 1);
    try (Log log = Log.open(io, dir, options())) {
      List<LogEntry> more = LogTesting.batch(new Random(12), 10, 300);
      log.append(more);
      model.addAll(more);
      LogTesting.assertLogEquals(model, log);
    }
    try (Log log = Log.open(io, dir, options())) {
      LogTesting.assertLogEquals(model, log);
    }
  }
}
