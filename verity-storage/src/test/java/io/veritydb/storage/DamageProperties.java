package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Single-bit flips anywhere in any segment are reported as corruption (never cut off as a torn
 * tail, never returned), and cutting the last record at any byte offset recovers to the record
 * before it.
 */
class DamageProperties {
  private static final Path DIR = Path.of("/damage");

  /**
   * Preallocated segments with a header (format 2), or the format without ({@code headed} false).
   */
  private static LogOptions options(boolean headed) {
    return LogOptions.builder()
        .segmentSize(4096)
        .compressionThreshold(100)
        .parallelism(1)
        .preallocate(headed ? 4096 : 0)
        .build();
  }

  /** A log of a few small records over two or three segments, built from {@code seed}. */
  private static List<LogEntry> build(SimFileIo io, long seed, int records, boolean headed) {
    Random random = new Random(seed);
    List<LogEntry> model = new ArrayList<>();
    try (Log log = Log.open(io, DIR, options(headed))) {
      while (model.size() < records) {
        List<LogEntry> batch = LogTesting.batch(random, 1 + random.nextInt(8), 500);
        log.append(batch);
        model.addAll(batch);
      }
    }
    return model;
  }

  private static List<Path> segments(FileIo io) {
    List<Path> s = new ArrayList<>(io.list(DIR));
    s.removeIf(p -> !p.toString().endsWith(".log"));
    return s;
  }

  private static long size(FileIo io, Path file) {
    try (FileHandle h = io.open(file, FileIo.Mode.READ)) {
      return h.size();
    }
  }

  /** Where the last record is: its segment and [start, end). */
  private record LastRecord(Path segment, long start, long end, long position) {}

  private static LastRecord lastRecord(SimFileIo io) {
    try (Log log = Log.open(io, DIR, LogOptions.builder().readOnly(true).build())) {
      long p = log.lastPosition().value();
      Segment s = log.segmentOf(p);
      return new LastRecord(s.path(), s.offsetOf(p), s.endOf(p), p);
    }
  }

  /** Whether bytes [from, to) of {@code file} are all zero. */
  private static boolean zeros(SimFileIo io, Path file, long from, long to) {
    byte[] bytes = new byte[(int) (to - from)];
    try (FileHandle h = io.open(file, FileIo.Mode.READ)) {
      h.read(ByteBuffer.wrap(bytes), from);
    }
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Flips the bit and checks that open fails naming the segment and verify reports corruption. The
   * one ambiguous case: a flip in the last record that leaves the rest of it all zeros looks
   * exactly like a torn write that zeroed the record's end; then the record is cut off as a torn
   * tail (and reported as such), which is checked instead.
   */
  private static void assertFlipIsDetected(
      SimFileIo io, LastRecord last, Path file, long offset, int bit, boolean headed) {
    io.flipBit(file, offset, bit);
    String where = file + "@" + offset + ":" + bit;
    if (file.equals(last.segment())
        && offset >= last.start()
        && zeros(io, file, offset, last.end())) {
      VerifyReport report = Log.verify(io, DIR, 1);
      assertEquals(Damage.Kind.TORN_TAIL, report.damage().orElseThrow().kind(), where);
      assertEquals(last.position() - 1, report.lastGoodPosition().value(), where);
    } else {
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> Log.open(io, DIR, options(headed)), where);
      assertTrue(e.getMessage().contains("log segment " + DIR), e.getMessage());
      VerifyReport report = Log.verify(io, DIR, 1);
      assertEquals(Damage.Kind.CORRUPTION, report.damage().orElseThrow().kind(), where);
    }
    io.flipBit(file, offset, bit);
  }

  @Property(tries = 300)
  void anySingleBitFlipInAnySegmentIsReportedAsCorruption(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1 << 20) int where,
      @ForAll boolean headed) {
    SimFileIo io = new SimFileIo(seed);
    build(io, seed, 25, headed);
    LastRecord last = lastRecord(io);
    List<Path> segments = segments(io);
    Path file = segments.get(where % segments.size());
    long size = size(io, file);
    long offset = (where / segments.size()) % size;
    assertFlipIsDetected(io, last, file, offset, where % 8, headed);
  }

  @Test
  void everyBitOfTheLastTwoRecordsDetectsAFlip() {
    everyBitOfTheLastTwoRecordsDetectsAFlip(false);
    everyBitOfTheLastTwoRecordsDetectsAFlip(true);
  }

  private static void everyBitOfTheLastTwoRecordsDetectsAFlip(boolean headed) {
    SimFileIo io = new SimFileIo(99);
    List<LogEntry> model = build(io, 99, 25, headed);
    long fromPosition = model.size() - 1L;
    long start;
    Path file;
    try (Log log = Log.open(io, DIR, options(headed))) {
      Segment s = log.segmentOf(fromPosition);
      start = s.offsetOf(fromPosition);
      file = s.path();
    }
    long end = size(io, segments(io).get(segments(io).size() - 1));
    if (!file.equals(segments(io).get(segments(io).size() - 1))) {
      fail("the last two records should share the last segment");
    }
    LastRecord last = lastRecord(io);
    for (long offset = start; offset < end; offset++) {
      for (int bit = 0; bit < 8; bit++) {
        assertFlipIsDetected(io, last, file, offset, bit, headed);
      }
    }
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 15)
  void cuttingTheLastRecordAtAnyOffsetRecoversToTheRecordBefore(
      @ForAll long seed, @ForAll boolean zeroFill, @ForAll boolean headed) {
    SimFileIo reference = new SimFileIo(seed);
    List<LogEntry> model = build(reference, seed, 12, headed);
    long start;
    long end;
    Path file;
    try (Log log = Log.open(reference, DIR, options(headed))) {
      Segment s = log.segmentOf(model.size());
      start = s.offsetOf(model.size());
      end = s.endOf(model.size());
      file = s.path();
    }
    byte[] original = new byte[(int) (end - start)];
    try (FileHandle h = reference.open(file, FileIo.Mode.READ)) {
      h.read(ByteBuffer.wrap(original), start);
    }
    for (long cut = start; cut < end; cut++) {
      if (zeroFill && allZero(original, (int) (cut - start))) {
        continue; // zeroing bytes that are already zero is no damage
      }
      SimFileIo io = new SimFileIo(seed);
      build(io, seed, 12, headed);
      try (FileHandle h = io.open(file, FileIo.Mode.WRITE)) {
        h.truncate(cut);
        if (zeroFill) {
          h.write(ByteBuffer.allocate((int) (end - cut)), cut);
        }
        h.sync();
      }
      try (Log log = Log.open(io, DIR, options(headed))) {
        assertEquals(
            LogPosition.of(model.size() - 1),
            log.lastPosition(),
            "cut at "
                + cut
                + " start "
                + start
                + " end "
                + end
                + " zero "
                + zeroFill
                + " "
                + file
                + " "
                + io.list(DIR));
        LogTesting.assertLogEquals(model.subList(0, model.size() - 1), log);
        // A record zeroed whole is free space in a preallocated segment, a torn tail without one.
        assertEquals(
            cut == start && (!zeroFill || headed),
            log.damage().isEmpty(),
            "damage " + log.damage());
      }
      assertEquals(start, size(io, file), "torn tail cut off at " + cut);
    }
  }
}
