package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Preallocated segments (format 2): a header, records, then zero-filled free space that appends
 * overwrite. Recovery finds the end of the last valid record, accepts zeros after it, and still
 * tells a torn tail from corruption.
 */
class PreallocationTest {
  private static final Path DIR = Path.of("/pre");
  private static final LogOptions OPTIONS =
      LogOptions.builder()
          .segmentSize(1 << 20)
          .preallocate(64 << 10)
          .compressionThreshold(64)
          .parallelism(1)
          .build();

  /**
   * Appends {@code records} records in small batches and leaves the log as a crash of the process
   * would (free space after the last record kept: the clean close that trims it fails).
   */
  private static List<LogEntry> buildWithFreeSpace(SimFileIo io, LogOptions options, int records) {
    Random random = new Random(records);
    List<LogEntry> model = new ArrayList<>();
    Log log = Log.open(io, DIR, options);
    while (model.size() < records) {
      List<LogEntry> batch = LogTesting.batch(random, 1 + random.nextInt(4), 300);
      log.append(batch);
      model.addAll(batch);
    }
    io.crash(SimFileIo.CrashMode.KEEP_UNSYNCED);
    log.close();
    return model;
  }

  private static long size(FileIo io, Path file) {
    try (FileHandle h = io.open(file, FileIo.Mode.READ)) {
      return h.size();
    }
  }

  private static void write(FileIo io, Path file, long offset, byte[] bytes) {
    try (FileHandle h = io.open(file, FileIo.Mode.WRITE)) {
      h.write(ByteBuffer.wrap(bytes), offset);
      h.sync();
    }
  }

  private static byte[] read(FileIo io, Path file, long offset, int length) {
    byte[] bytes = new byte[length];
    try (FileHandle h = io.open(file, FileIo.Mode.READ)) {
      h.read(ByteBuffer.wrap(bytes), offset);
    }
    return bytes;
  }

  /** {segment first position, offset, end} of {@code position}, by a read-only open. */
  private static long[] locate(FileIo io, long position) {
    try (Log log = Log.open(io, DIR, LogOptions.builder().readOnly(true).build())) {
      Segment s = log.segmentOf(position);
      return new long[] {s.firstPosition(), s.offsetOf(position), s.endOf(position)};
    }
  }

  private static void appendAndReopen(FileIo io, LogOptions options, List<LogEntry> model) {
    try (Log log = Log.open(io, DIR, options)) {
      LogTesting.assertLogEquals(model, log);
      List<LogEntry> more = LogTesting.batch(new Random(model.size()), 5, 300);
      log.append(more);
      model.addAll(more);
    }
    try (Log log = Log.open(io, DIR, options)) {
      LogTesting.assertLogEquals(model, log);
      assertTrue(log.damage().isEmpty(), "damage " + log.damage());
    }
    assertTrue(Log.verify(io, DIR, 1).ok());
  }

  @Test
  void shouldStartSegmentsWithAHeaderAndOverwriteZerosInsteadOfGrowingTheFile() {
    SimFileIo io = new SimFileIo(1);
    Path file = DIR.resolve(Segment.fileName(1));
    TreeSet<Long> sizes = new TreeSet<>();
    Random random = new Random(1);
    try (Log log = Log.open(io, DIR, OPTIONS)) {
      for (int i = 0; i < 300; i++) {
        log.append(List.of(LogTesting.entry(random, 100)));
        sizes.add(size(io, file));
        assertTrue(size(io, file) - log.segmentOf(i + 1).endOf(i + 1) >= (32 << 10));
      }
    }
    assertTrue(sizes.size() <= 2, "the file grew by more than one extension: " + sizes);
    assertEquals(SegmentDescriptor.MAGIC, RecordCodec.getInt(read(io, file, 0, 4), 0));
    long end = locate(io, 300)[2];
    assertEquals(end, size(io, file), "a clean close gives the free space back");
  }

  @Test
  void shouldPreallocateAsMuchAsTheSegmentHoldsFrom64KiBUpToTheChunk() {
    SimFileIo io = new SimFileIo(10);
    Path file = DIR.resolve(Segment.fileName(1));
    LogOptions options = LogOptions.builder().parallelism(1).compressionThreshold(1 << 20).build();
    Random random = new Random(10);
    try (Log log = Log.open(io, DIR, options)) {
      log.append(List.of(LogTesting.entry(random, 100)));
      assertTrue(size(io, file) <= Log.MIN_AHEAD + 4096, "a small log: " + size(io, file));
      long position = 1;
      while (position < 1200) {
        position = log.append(LogTesting.batch(random, 20, 16 << 10)).value();
        long end = log.segmentOf(position).endOf(position);
        long ahead = Math.min(LogOptions.DEFAULT_PREALLOCATE, Math.max(Log.MIN_AHEAD, end));
        long free = size(io, file) - end;
        assertTrue(free >= ahead / 2 && free <= ahead + 4096, "end " + end + " free " + free);
      }
    }
  }

  @Test
  void shouldReopenAndContinueAppendingAfterAPreallocatedTail() {
    SimFileIo io = new SimFileIo(2);
    List<LogEntry> model = buildWithFreeSpace(io, OPTIONS, 40);
    Path file = DIR.resolve(Segment.fileName(1));
    long allocated = size(io, file);
    assertTrue(allocated > locate(io, 40)[2], "free space after the last record");
    try (Log log = Log.open(io, DIR, OPTIONS)) {
      assertTrue(log.damage().isEmpty(), "zeros after the last record are free space");
      LogTesting.assertLogEquals(model, log);
      List<LogEntry> more = LogTesting.batch(new Random(3), 3, 200);
      log.append(more);
      model.addAll(more);
      assertEquals(allocated, size(io, file), "the append overwrote preallocated space");
    }
    appendAndReopen(io, OPTIONS, model);
  }

  @Test
  void shouldVerifyAPreallocatedLogAndReportAFlipInTheFreeSpace() {
    SimFileIo io = new SimFileIo(4);
    List<LogEntry> model = buildWithFreeSpace(io, OPTIONS, 30);
    Path file = DIR.resolve(Segment.fileName(1));
    long end = locate(io, model.size())[2];
    VerifyReport clean = Log.verify(io, DIR, 2);
    assertTrue(clean.ok(), "damage " + clean.damage());
    assertEquals(LogPosition.of(model.size()), clean.lastGoodPosition());
    long offset = end + 5000;
    io.flipBit(file, offset, 2);
    VerifyReport flipped = Log.verify(io, DIR, 1);
    assertEquals(Damage.Kind.CORRUPTION, flipped.damage().orElseThrow().kind());
    assertEquals(end, flipped.damage().orElseThrow().offset());
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> Log.open(io, DIR, OPTIONS));
    assertTrue(e.getMessage().contains("single bit flip"), e.getMessage());
    io.flipBit(file, offset, 2);
    assertTrue(Log.verify(io, DIR, 1).ok());
  }

  @Test
  void shouldReportAZeroFilledRegionFollowedByValidRecordsAsCorruption() {
    SimFileIo io = new SimFileIo(5);
    List<LogEntry> model = buildWithFreeSpace(io, OPTIONS, 30);
    long[] where = locate(io, 12);
    Path file = DIR.resolve(Segment.fileName(where[0]));
    write(io, file, where[1], new byte[(int) (where[2] - where[1])]);
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> Log.open(io, DIR, OPTIONS));
    assertTrue(e.getMessage().contains("log position 12"), e.getMessage());
    VerifyReport report = Log.verify(io, DIR, 1);
    assertEquals(Damage.Kind.CORRUPTION, report.damage().orElseThrow().kind());
    assertEquals(11, report.lastGoodPosition().value());
    assertEquals(model.size(), 30);
  }

  @Test
  void shouldRecoverATornRecordFollowedByZerosAsATornTailAtEveryCut() {
    SimFileIo reference = new SimFileIo(6);
    List<LogEntry> model = buildWithFreeSpace(reference, OPTIONS, 20);
    long[] where = locate(reference, model.size());
    Path file = DIR.resolve(Segment.fileName(where[0]));
    long allocated = size(reference, file);
    for (long cut = where[1]; cut < where[2]; cut++) {
      SimFileIo io = new SimFileIo(6);
      buildWithFreeSpace(io, OPTIONS, 20);
      write(io, file, cut, new byte[(int) (where[2] - cut)]);
      assertEquals(allocated, size(io, file));
      List<LogEntry> expected = new ArrayList<>(model.subList(0, model.size() - 1));
      try (Log log = Log.open(io, DIR, OPTIONS)) {
        String context = "cut at " + cut + " of [" + where[1] + ", " + where[2] + ")";
        LogTesting.assertLogEquals(expected, log);
        if (cut == where[1]) {
          assertTrue(log.damage().isEmpty(), context + ": a zeroed record is free space");
        } else {
          Damage damage = log.damage().orElseThrow();
          assertEquals(Damage.Kind.TORN_TAIL, damage.kind(), context);
          assertEquals(where[1], damage.offset(), context);
          assertEquals(where[1], size(io, file), context + ": the torn tail is cut off");
        }
      }
      if (cut == where[1] || cut == where[2] - 1) {
        appendAndReopen(io, OPTIONS, expected);
      }
    }
  }

  @Test
  void shouldTreatGarbageAfterZerosInTheFreeSpaceAsATornTail() {
    SimFileIo io = new SimFileIo(7);
    List<LogEntry> model = buildWithFreeSpace(io, OPTIONS, 20);
    long end = locate(io, model.size())[2];
    Path file = DIR.resolve(Segment.fileName(1));
    byte[] garbage = new byte[600];
    new Random(7).nextBytes(garbage);
    write(io, file, end + 4096, garbage);
    try (Log log = Log.open(io, DIR, OPTIONS)) {
      assertEquals(Damage.Kind.TORN_TAIL, log.damage().orElseThrow().kind());
      LogTesting.assertLogEquals(model, log);
    }
    appendAndReopen(io, OPTIONS, model);
  }

  @Test
  void shouldOpenAndContinueALogWrittenWithoutPreallocation() {
    SimFileIo io = new SimFileIo(8);
    LogOptions old = LogOptions.builder().segmentSize(8192).preallocate(0).parallelism(1).build();
    LogOptions current = LogOptions.builder().segmentSize(8192).parallelism(1).build();
    List<LogEntry> model = new ArrayList<>();
    Random random = new Random(8);
    try (Log log = Log.open(io, DIR, old)) {
      for (int i = 0; i < 6; i++) {
        List<LogEntry> batch = LogTesting.batch(random, 3, 300);
        log.append(batch);
        model.addAll(batch);
      }
    }
    List<Path> before = new ArrayList<>(io.list(DIR));
    before.removeIf(p -> !p.toString().endsWith(".log"));
    Path last = before.get(before.size() - 1);
    assertEquals(RecordDescriptor.MAGIC, RecordCodec.getInt(read(io, last, 0, 4), 0));
    try (Log log = Log.open(io, DIR, current)) {
      LogTesting.assertLogEquals(model, log);
      for (int i = 0; i < 20; i++) {
        List<LogEntry> batch = LogTesting.batch(random, 3, 300);
        log.append(batch);
        model.addAll(batch);
      }
    }
    assertEquals(RecordDescriptor.MAGIC, RecordCodec.getInt(read(io, last, 0, 4), 0));
    List<Path> after = new ArrayList<>(io.list(DIR));
    after.removeIf(p -> !p.toString().endsWith(".log"));
    Path newest = after.get(after.size() - 1);
    assertEquals(SegmentDescriptor.MAGIC, RecordCodec.getInt(read(io, newest, 0, 4), 0));
    appendAndReopen(io, current, model);
    appendAndReopen(io, old, model);
  }

  @Test
  void shouldAppendWithoutPreallocatingWhenTheDiskCannotHoldTheZeros() {
    SimFileIo io = new SimFileIo(9);
    io.setDiskBudget(20_000);
    List<LogEntry> model = new ArrayList<>();
    Random random = new Random(9);
    try (Log log = Log.open(io, DIR, OPTIONS)) {
      for (int i = 0; i < 10; i++) {
        List<LogEntry> batch = LogTesting.batch(random, 2, 300);
        log.append(batch);
        model.addAll(batch);
      }
    }
    appendAndReopen(io, OPTIONS, model);
  }

  /**
   * Crashes (in every mode) before every changing file operation of a run of appends over
   * preallocated segments (creation, header, zero extension, fsync, rolling and trimming, close):
   * every acknowledged record survives, nothing else but a prefix of what was attempted, the log
   * verifies, and appending continues.
   */
  @Test
  void shouldKeepEveryAcknowledgedRecordWhenCrashingAtEveryStepOfPreallocatedAppends() {
    LogOptions options =
        LogOptions.builder()
            .segmentSize(12 << 10)
            .preallocate(4096)
            .compressionThreshold(200)
            .parallelism(1)
            .build();
    for (SimFileIo.CrashMode mode : SimFileIo.CrashMode.values()) {
      boolean crashed = true;
      for (int k = 1; crashed; k++) {
        SimFileIo disk = new SimFileIo(k);
        CrashAtFileIo io = new CrashAtFileIo(disk);
        io.arm(k, mode);
        Random random = new Random(42);
        List<LogEntry> attempted = new ArrayList<>();
        long acknowledged = 0;
        Log log = null;
        try {
          log = Log.open(io, DIR, options);
          for (int b = 0; b < 25; b++) {
            List<LogEntry> batch = LogTesting.batch(random, 1 + random.nextInt(5), 400);
            attempted.addAll(batch);
            acknowledged = log.append(batch).value();
          }
          log.close();
        } catch (UnavailableException expected) {
          if (log != null) {
            log.close();
          }
        }
        crashed = io.crashed();
        io.arm(0, mode);
        String context = "crash " + mode + " before change " + k;
        try (Log reopened = Log.open(io, DIR, options)) {
          long last = reopened.lastPosition().value();
          assertTrue(last >= acknowledged && last <= attempted.size(), context + " last " + last);
          LogTesting.assertLogEquals(attempted.subList(0, (int) last), reopened);
          attempted = new ArrayList<>(attempted.subList(0, (int) last));
        }
        VerifyReport report = Log.verify(io, DIR, 1);
        assertTrue(report.ok(), context + ": " + report.damage());
        appendAndReopen(io, options, attempted);
      }
    }
  }
}
