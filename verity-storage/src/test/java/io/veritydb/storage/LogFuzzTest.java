package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.Mutations;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzz targets of the log's decoders of bytes from disk: {@link RecordReader} on one record, and
 * {@link Log#open} (the {@link SegmentScanner} that rebuilds each segment's offset index, the
 * {@link TailInspector}, the {@link ChainMarks} of {@value ChainMarks#FILE_NAME}) on a whole
 * directory on {@link SimFileIo}, then reading every record the open accepted. The inputs are
 * mutations of valid logs (with and without segment headers, some records compressed, a
 * checkpoint), half of them with the CRCs recomputed after the mutation so that the damage reaches
 * the fields behind them, opened with the full chain check and from the last chain mark (which
 * trusts records up to it without chaining them). Every input ends in a log whose records all
 * decode, or in a {@link CorruptionException} naming the segment, chain mark or limits file: never
 * another exception, never a hang.
 */
class LogFuzzTest {
  private static final Path DIR = Path.of("/fuzz/log");
  private static final Duration TIME_LIMIT = Duration.ofSeconds(20);

  /** One valid log directory: file name to bytes. */
  private record Variant(LogOptions options, Map<String, byte[]> files) {}

  private static final List<Variant> VARIANTS = List.of(build(11, true), build(12, false));

  private static LogOptions options(boolean headed) {
    return LogOptions.builder()
        .segmentSize(4096)
        .compressionThreshold(64)
        .parallelism(1)
        .preallocate(headed ? 4096 : 0)
        .build();
  }

  /** A log of about 40 records in several segments, with a chain mark in the middle. */
  private static Variant build(long seed, boolean headed) {
    SimFileIo io = new SimFileIo(seed);
    Random random = new Random(seed);
    try (Log log = Log.open(io, DIR, options(headed))) {
      for (int batch = 0; batch < 12; batch++) {
        log.append(LogTesting.batch(random, 1 + random.nextInt(5), 300));
        if (batch == 6) {
          log.mark();
        }
      }
    }
    Map<String, byte[]> files = new TreeMap<>();
    for (Path p : io.list(DIR)) {
      try (FileHandle h = io.open(p, FileIo.Mode.READ)) {
        byte[] b = new byte[(int) h.size()];
        h.read(ByteBuffer.wrap(b), 0);
        files.put(p.getFileName().toString(), b);
      }
    }
    return new Variant(options(headed), files);
  }

  private static int crc(byte[] b, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, length);
    return (int) crc.getValue();
  }

  /**
   * Recomputes the CRCs of a segment as far as its records can be walked: the segment header's, and
   * each record's whose header holds a stored length that fits the file.
   */
  private static void resealSegment(byte[] b) {
    int at = 0;
    if (SegmentDescriptor.hasMagic(b, b.length) && b.length >= SegmentDescriptor.LENGTH) {
      RecordCodec.putInt(b, SegmentDescriptor.CRC_OFFSET, crc(b, 0, SegmentDescriptor.CRC_OFFSET));
      at = SegmentDescriptor.LENGTH;
    }
    while (b.length - at >= RecordDescriptor.OVERHEAD) {
      int stored = RecordCodec.storedLength(b, at);
      if (stored < 0 || stored > b.length - at - RecordDescriptor.OVERHEAD) {
        return;
      }
      RecordCodec.putInt(
          b,
          at + RecordDescriptor.HEADER_LENGTH + stored,
          crc(b, at, RecordDescriptor.HEADER_LENGTH + stored));
      at += RecordDescriptor.OVERHEAD + stored;
    }
  }

  /** Recomputes the CRC of every whole chain mark entry. */
  private static void resealMarks(byte[] b) {
    for (int at = 0; at + ChainMarks.ENTRY <= b.length; at += ChainMarks.ENTRY) {
      RecordCodec.putInt(b, at + ChainMarks.ENTRY - 4, crc(b, at, ChainMarks.ENTRY - 4));
    }
  }

  @Provide
  Arbitrary<List<Mutations.Step>> steps() {
    return Mutations.steps().list().ofMinSize(1).ofMaxSize(4);
  }

  private static void assertNamesLogFile(CorruptionException e) {
    String m = e.getMessage();
    assertTrue(
        m.contains(DIR.toString())
            && (m.contains(Segment.SUFFIX)
                || m.contains(ChainMarks.FILE_NAME)
                || m.contains(LogLimits.FILE_NAME)),
        m);
  }

  @Property(tries = 1500)
  void logOpensAndReadsOrIsCorruptionNamingTheFile(
      @ForAll @IntRange(min = 0, max = 1) int variantIndex,
      @ForAll @IntRange(min = 0, max = 31) int fileIndex,
      @ForAll("steps") List<Mutations.Step> steps,
      @ForAll boolean reseal,
      @ForAll boolean fromMark,
      @ForAll boolean readOnly) {
    Variant variant = VARIANTS.get(variantIndex);
    List<String> names = new ArrayList<>(variant.files().keySet());
    String target = names.get(fileIndex % names.size());
    SimFileIo io = new SimFileIo(fileIndex);
    io.createDirectories(DIR);
    for (String name : names) {
      byte[] bytes = variant.files().get(name).clone();
      if (name.equals(target)) {
        bytes = Mutations.apply(bytes, steps, List.of());
        if (reseal && name.equals(ChainMarks.FILE_NAME)) {
          resealMarks(bytes);
        } else if (reseal) {
          resealSegment(bytes);
        }
      }
      try (FileHandle h = io.open(DIR.resolve(name), FileIo.Mode.CREATE)) {
        h.write(ByteBuffer.wrap(bytes), 0);
      }
    }
    LogOptions options =
        LogOptions.builder()
            .segmentSize(variant.options().segmentSize())
            .compressionThreshold(64)
            .parallelism(1)
            .preallocate(variant.options().preallocate())
            .readOnly(readOnly)
            .openCheck(fromMark ? LogOptions.OpenCheck.FROM_LAST_MARK : LogOptions.OpenCheck.FULL)
            .build();
    assertTimeoutPreemptively(TIME_LIMIT, () -> openAndReadAll(io, options));
  }

  private static void openAndReadAll(SimFileIo io, LogOptions options) {
    Log log;
    try {
      log = Log.open(io, DIR, options);
    } catch (CorruptionException e) {
      assertNamesLogFile(e);
      return;
    }
    try (log) {
      long last = log.lastPosition().value();
      long seen = 0;
      try (LogCursor cursor = log.iterate(LogPosition.of(1))) {
        while (cursor.next()) {
          LogRecord r = cursor.record();
          assertEquals(++seen, r.position().value());
          assertEquals(r.payloadLength(), r.payload().length);
        }
      } catch (CorruptionException e) {
        assertNamesLogFile(e);
      }
      for (long p = 1; p <= last; p++) {
        try {
          LogRecord r = log.read(LogPosition.of(p));
          assertEquals(r.payloadLength(), r.payload().length);
        } catch (CorruptionException e) {
          assertNamesLogFile(e);
        }
      }
    }
  }

  /** A valid record of the logs above, with the position and file offset it has. */
  private static final class Located {
    private final byte[] bytes;
    private final long position;
    private final long offset;

    Located(byte[] bytes, long position, long offset) {
      this.bytes = bytes;
      this.position = position;
      this.offset = offset;
    }

    byte[] bytes() {
      return bytes.clone();
    }

    long position() {
      return position;
    }

    long offset() {
      return offset;
    }

    @Override
    public String toString() {
      return "record at position " + position + ", offset " + offset;
    }
  }

  private static final List<Located> RECORDS = locateRecords();

  private static List<Located> locateRecords() {
    List<Located> out = new ArrayList<>();
    for (Variant v : VARIANTS) {
      SimFileIo io = new SimFileIo(1);
      io.createDirectories(DIR);
      v.files()
          .forEach(
              (name, bytes) -> {
                try (FileHandle h = io.open(DIR.resolve(name), FileIo.Mode.CREATE)) {
                  h.write(ByteBuffer.wrap(bytes), 0);
                }
              });
      try (Log log = Log.open(io, DIR, LogOptions.builder().readOnly(true).build())) {
        for (long p = 1; p <= log.lastPosition().value(); p++) {
          Segment s = log.segmentOf(p);
          long from = s.offsetOf(p);
          byte[] file = v.files().get(s.path().getFileName().toString());
          byte[] record = java.util.Arrays.copyOfRange(file, (int) from, (int) s.endOf(p));
          out.add(new Located(record, p, from));
        }
      }
    }
    return out;
  }

  @Provide
  Arbitrary<Located> records() {
    return Arbitraries.of(RECORDS);
  }

  @Property(tries = 4000)
  void recordDecodesOrIsCorruptionNamingTheSegment(
      @ForAll("records") Located located,
      @ForAll("steps") List<Mutations.Step> steps,
      @ForAll boolean reseal) {
    byte[] b = Mutations.apply(located.bytes(), steps, List.of());
    if (reseal) {
      resealSegment(b);
    }
    Path path = DIR.resolve(Segment.fileName(1));
    Segment segment = new Segment(path, 1, null);
    LogRecord record;
    try {
      record =
          new RecordReader(LogOptions.DEFAULT_MAX_PAYLOAD)
              .decode(b, 0, b.length, located.position(), segment, located.offset(), false);
    } catch (CorruptionException e) {
      assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
      return;
    }
    assertEquals(located.position(), record.position().value());
    assertEquals(record.payloadLength(), record.payload().length);
    record.chainHash();
  }
}
