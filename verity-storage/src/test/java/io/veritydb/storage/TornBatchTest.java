package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Blake3;
import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.ChainHash;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * A power failure during the fsync of an append may persist the sectors of its one write in any
 * order (a disk with a volatile write cache): a lost sector in the middle of the last batch, with
 * valid records of the same batch after it, is a torn batch (cut off like a torn tail), while the
 * same damage anywhere else, a bit flip, or a log written before the batch-end flag stays
 * corruption. Every case runs on both segment formats (without and with preallocation).
 */
class TornBatchTest {
  private static final long[] FORMATS = {0, 4096};
  private static final int SECTOR = TailInspector.SECTOR;

  private final Path dir = Path.of("/torn");
  private SimFileIo io;
  private List<LogEntry> model;
  private Random random;

  /** Positions of the batches appended by {@link #setUp}: {first, last} each. */
  private long[] olderBatch;

  private long[] lastBatch;

  private static LogOptions options(long preallocate) {
    return LogOptions.builder()
        .segmentSize(16384)
        .compressionThreshold(Integer.MAX_VALUE)
        .parallelism(1)
        .preallocate(preallocate)
        .build();
  }

  private static LogEntry entry(Random random, int length) {
    byte[] payload = new byte[length];
    random.nextBytes(payload);
    return new LogEntry((byte) 16, TenantId.of(1), random.nextLong() & Long.MAX_VALUE, 0, payload);
  }

  private long[] append(Log log, int records, int payload) {
    List<LogEntry> batch = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      batch.add(entry(random, payload));
    }
    long first = log.lastPosition().value() + 1;
    log.append(batch);
    model.addAll(batch);
    return new long[] {first, log.lastPosition().value()};
  }

  /** Three batches in one segment: 3 x 200 B, 8 x 200 B (older), 12 x 150 B (last). */
  private void setUp(long preallocate) {
    io = new SimFileIo(21);
    model = new ArrayList<>();
    random = new Random(21);
    try (Log log = Log.open(io, dir, options(preallocate))) {
      append(log, 3, 200);
      olderBatch = append(log, 8, 200);
      lastBatch = append(log, 12, 150);
    }
    assertEquals(1, segments().size(), "the test wants one segment");
  }

  private List<Path> segments() {
    List<Path> s = new ArrayList<>(io.list(dir));
    s.removeIf(p -> !p.toString().endsWith(".log"));
    return s;
  }

  /** {segment first position, offset, end} of the record at {@code position}. */
  private long[] where(long position) {
    LogOptions inspect = LogOptions.builder().readOnly(true).parallelism(1).build();
    try (Log log = Log.open(io, dir, inspect)) {
      Segment s = log.segmentOf(position);
      return new long[] {s.firstPosition(), s.offsetOf(position), s.endOf(position)};
    }
  }

  private void write(Path file, long offset, byte[] bytes) {
    try (FileHandle h = io.open(file, FileIo.Mode.WRITE)) {
      h.write(ByteBuffer.wrap(bytes), offset);
      h.sync();
    }
  }

  /**
   * Zeroes the first whole sector after the first record of batch {first, last} that ends before
   * its last record starts (as a power failure loses it); returns the position of the first record
   * it damages.
   */
  private long loseSectorIn(long[] batch) {
    long[][] records = offsets();
    long from = (records[(int) batch[0]][1] + SECTOR - 1) / SECTOR * SECTOR;
    assertTrue(from + SECTOR <= records[(int) batch[1]][0], "the batch spans a whole sector");
    write(dir.resolve(Segment.fileName(1)), from, new byte[SECTOR]);
    long p = batch[0];
    while (records[(int) p][1] <= from) {
      p++;
    }
    return p;
  }

  /** {offset, end} of every record (index = position) of the one-segment log, before damage. */
  private long[][] offsets() {
    long[][] records = new long[model.size() + 1][];
    for (int p = 1; p <= model.size(); p++) {
      long[] at = where(p);
      records[p] = new long[] {at[1], at[2]};
    }
    return records;
  }

  @Test
  void shouldCutALastBatchWithALostSectorFollowedByValidRecordsOfThatBatch() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      long[][] records = offsets();
      long damaged = loseSectorIn(lastBatch);
      long offset = records[(int) damaged][0];
      assertTrue(damaged < lastBatch[1], "valid records of the batch follow the hole");
      VerifyReport report = Log.verify(io, dir, 1);
      assertEquals(Damage.Kind.TORN_TAIL, report.damage().orElseThrow().kind());
      assertEquals(offset, report.damage().orElseThrow().offset());
      model = new ArrayList<>(model.subList(0, (int) damaged - 1));
      try (Log log = Log.open(io, dir, options(preallocate))) {
        Damage damage = log.damage().orElseThrow();
        assertEquals(Damage.Kind.TORN_TAIL, damage.kind(), damage.describe());
        assertEquals(offset, damage.offset());
        assertEquals(damaged, damage.position());
        assertTrue(damage.reason().contains("torn batch"), damage.reason());
        LogTesting.assertLogEquals(model, log);
        append(log, 4, 300);
        LogTesting.assertLogEquals(model, log);
      }
      try (Log log = Log.open(io, dir, options(preallocate))) {
        assertTrue(log.damage().isEmpty(), "the torn batch was cut off and synced");
        LogTesting.assertLogEquals(model, log);
      }
      assertTrue(Log.verify(io, dir, 1).ok());
    }
  }

  @Test
  void shouldCutATornLastBatchWhoseEndRecordIsLostToo() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      long[][] records = offsets();
      long damaged = loseSectorIn(lastBatch);
      long[] end = records[(int) lastBatch[1]];
      long from = end[0] / SECTOR * SECTOR;
      write(dir.resolve(Segment.fileName(1)), from, new byte[(int) (end[1] - from)]);
      assertTrue(records[(int) damaged + 1][1] <= from, "valid records lie between the holes");
      model = new ArrayList<>(model.subList(0, (int) damaged - 1));
      try (Log log = Log.open(io, dir, options(preallocate))) {
        assertEquals(Damage.Kind.TORN_TAIL, log.damage().orElseThrow().kind());
        LogTesting.assertLogEquals(model, log);
      }
    }
  }

  /**
   * After a torn tail keeps a prefix of a batch (its last record, with the batch-end flag, was cut
   * off), the next batch's first sector, shared with that prefix, is lost: still a torn batch (the
   * sector piece at the bad record's start is what reads as zeros, wherever the batch started).
   */
  @Test
  void shouldCutATornBatchWhoseFirstPieceWasLostAfterATornTailKeptAPrefix() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      long[][] records = offsets();
      long[] last = records[(int) lastBatch[1]];
      write(dir.resolve(Segment.fileName(1)), last[1] - 10, new byte[10]);
      model = new ArrayList<>(model.subList(0, model.size() - 1));
      long[] next;
      try (Log log = Log.open(io, dir, options(preallocate))) {
        assertEquals(Damage.Kind.TORN_TAIL, log.damage().orElseThrow().kind());
        next = append(log, 12, 150);
      }
      long start = offsets()[(int) next[0]][0];
      assertTrue(start % SECTOR != 0, "the batch starts inside a sector: " + start);
      long boundary = (start / SECTOR + 1) * SECTOR;
      write(dir.resolve(Segment.fileName(1)), start, new byte[(int) (boundary - start)]);
      model = new ArrayList<>(model.subList(0, (int) next[0] - 1));
      try (Log log = Log.open(io, dir, options(preallocate))) {
        Damage damage = log.damage().orElseThrow();
        assertEquals(Damage.Kind.TORN_TAIL, damage.kind(), damage.describe());
        assertEquals(start, damage.offset());
        assertTrue(damage.reason().contains("torn batch"), damage.reason());
        LogTesting.assertLogEquals(model, log);
      }
    }
  }

  @Test
  void shouldReportALostSectorInAnEarlierBatchFollowedByALaterBatchAsCorruption() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      long[][] records = offsets();
      long damaged = loseSectorIn(olderBatch);
      long offset = records[(int) damaged][0];
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> Log.open(io, dir, options(preallocate)));
      String m = e.getMessage();
      assertTrue(m.contains(dir.resolve(Segment.fileName(1)).toString()), m);
      assertTrue(m.contains("byte offset " + offset + " "), m);
      assertTrue(m.contains("log position " + damaged + ")"), m);
      assertTrue(m.contains("more than the last batch"), m);
      assertEquals(Damage.Kind.CORRUPTION, Log.verify(io, dir, 1).damage().orElseThrow().kind());
    }
  }

  @Test
  void shouldReportABitFlipInTheLastBatchFollowedByItsValidRecordsAsCorruption() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      long[] record = where(lastBatch[0] + 5);
      io.flipBit(
          dir.resolve(Segment.fileName(1)), record[1] + RecordDescriptor.HEADER_LENGTH + 7, 4);
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> Log.open(io, dir, options(preallocate)));
      assertTrue(e.getMessage().contains("single bit flip"), e.getMessage());
      assertTrue(e.getMessage().contains("log position " + (lastBatch[0] + 5)), e.getMessage());
    }
  }

  /**
   * A flipped bit in a record too large for the single-flip search is still corruption: the damage
   * shows no lost (zeroed) sector.
   */
  @Test
  void shouldReportABitFlipInALargeRecordOfTheLastBatchAsCorruption() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      long first;
      try (Log log = Log.open(io, dir, options(preallocate))) {
        List<LogEntry> batch =
            List.of(entry(random, 3 * TailInspector.FLIP_SEARCH_LIMIT), entry(random, 100));
        first = log.lastPosition().value() + 1;
        log.append(batch);
      }
      long[] large = where(first);
      io.flipBit(dir.resolve(Segment.fileName(large[0])), large[1] + 5000, 2);
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> Log.open(io, dir, options(preallocate)));
      assertTrue(e.getMessage().contains("reads as zeros"), e.getMessage());
    }
  }

  @Test
  void shouldKeepReportingALostSectorAsCorruptionInALogWrittenBeforeTheBatchEndFlag() {
    for (long preallocate : FORMATS) {
      setUp(preallocate);
      stripBatchEndFlags();
      try (Log log = Log.open(io, dir, options(preallocate))) {
        LogTesting.assertLogEquals(model, log);
        assertTrue(log.damage().isEmpty());
      }
      loseSectorIn(lastBatch);
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> Log.open(io, dir, options(preallocate)));
      assertTrue(e.getMessage().contains("no record carries the batch-end flag"), e.getMessage());
    }
  }

  /**
   * Rewrites every record as a version without the batch-end flag wrote it: flag cleared, chain and
   * CRC recomputed.
   */
  private void stripBatchEndFlags() {
    Path segment = dir.resolve(Segment.fileName(1));
    Blake3 blake3 = new Blake3();
    ChainHash chain = Blake3.GENESIS;
    byte[] digest = new byte[Blake3.LENGTH];
    long[][] records = offsets();
    for (int p = 1; p <= model.size(); p++) {
      long[] at = records[p];
      byte[] record = new byte[(int) (at[1] - at[0])];
      try (FileHandle h = io.open(segment, FileIo.Mode.READ)) {
        h.read(ByteBuffer.wrap(record), at[0]);
      }
      int flags = RecordCodec.getInt(record, RecordDescriptor.FLAGS_OFFSET);
      RecordCodec.putInt(
          record, RecordDescriptor.FLAGS_OFFSET, flags & ~RecordDescriptor.FLAG_BATCH_END);
      chain.copyTo(record, RecordDescriptor.PREVIOUS_CHAIN_OFFSET);
      int stored = RecordCodec.storedLength(record, 0);
      RecordCodec.digest(blake3, record, 0, stored, digest, 0);
      chain = blake3.chain(chain, digest);
      RecordCodec.writeCrc(new CRC32C(), record, 0, stored);
      write(segment, at[0], record);
    }
  }

  /** A new segment's header and first batch are synced together: both may be lost. */
  @Test
  void shouldCutANewSegmentWhoseHeaderWasLostWithItsFirstBatch() {
    setUp(4096);
    long first;
    try (Log log = Log.open(io, dir, options(4096))) {
      first = append(log, 30, 400)[0];
    }
    Path segment = dir.resolve(Segment.fileName(first));
    assertEquals(2, segments().size(), "the batch that does not fit starts a segment");
    write(segment, 0, new byte[SegmentDescriptor.LENGTH]);
    model = new ArrayList<>(model.subList(0, (int) first - 1));
    try (Log log = Log.open(io, dir, options(4096))) {
      Damage damage = log.damage().orElseThrow();
      assertEquals(Damage.Kind.TORN_TAIL, damage.kind(), damage.describe());
      assertEquals(0, damage.offset());
      LogTesting.assertLogEquals(model, log);
      append(log, 3, 100);
    }
    try (Log log = Log.open(io, dir, options(4096))) {
      assertTrue(log.damage().isEmpty());
      LogTesting.assertLogEquals(model, log);
    }
  }

  @Test
  void shouldNeverSplitABatchAcrossSegments() {
    for (long preallocate : FORMATS) {
      io = new SimFileIo(5);
      model = new ArrayList<>();
      random = new Random(5);
      List<Long> batchStarts = new ArrayList<>();
      LogOptions options =
          LogOptions.builder()
              .segmentSize(4096)
              .compressionThreshold(Integer.MAX_VALUE)
              .parallelism(1)
              .preallocate(preallocate)
              .build();
      try (Log log = Log.open(io, dir, options)) {
        for (int i = 0; i < 40; i++) {
          int records = 1 + random.nextInt(i % 10 == 9 ? 40 : 8);
          batchStarts.add(append(log, records, random.nextInt(300))[0]);
        }
      }
      List<Path> files = segments();
      assertTrue(files.size() > 5, "several segments: " + files);
      batchStarts.add((long) model.size() + 1);
      int oversized = 0;
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        long firstPosition = Segment.parseFileName(file.getFileName().toString());
        int batch = batchStarts.indexOf(firstPosition);
        assertTrue(batch >= 0, "segment " + file + " starts with a batch");
        long size;
        try (FileHandle h = io.open(file, FileIo.Mode.READ)) {
          size = h.size();
        }
        if (size > 4096) {
          long next =
              i + 1 < files.size()
                  ? Segment.parseFileName(files.get(i + 1).getFileName().toString())
                  : model.size() + 1;
          assertEquals(batchStarts.get(batch + 1), next, file + " is larger than a segment");
          oversized++;
        }
      }
      assertTrue(oversized > 0, "a batch larger than a segment gets one of its own");
      try (Log log = Log.open(io, dir, options)) {
        LogTesting.assertLogEquals(model, log);
      }
    }
  }

  /**
   * An append whose fsync fails, then a power failure of a disk that keeps a random subset of the
   * write's sectors: the log always opens, with every acknowledged record and a prefix of the rest.
   */
  @Test
  void shouldOpenAfterAScatteredPowerLossDuringAnAppendAtEverySeed() {
    for (long preallocate : FORMATS) {
      int tornBatches = 0;
      for (long seed = 0; seed < 150; seed++) {
        io = new SimFileIo(seed);
        model = new ArrayList<>();
        random = new Random(seed);
        LogOptions options =
            LogOptions.builder()
                .segmentSize(8192)
                .compressionThreshold(Integer.MAX_VALUE)
                .parallelism(1)
                .preallocate(preallocate)
                .build();
        List<LogEntry> attempted = new ArrayList<>();
        try (Log log = Log.open(io, dir, options)) {
          for (int i = 0; i < 1 + random.nextInt(6); i++) {
            append(log, 1 + random.nextInt(10), random.nextInt(400));
          }
          for (int i = 0; i < 1 + random.nextInt(20); i++) {
            attempted.add(entry(random, random.nextInt(400)));
          }
          io.failNextSyncs(1);
          assertThrows(UnavailableException.class, () -> log.append(attempted));
        }
        io.crash(SimFileIo.CrashMode.SCATTERED);
        String at = "seed=" + seed + " preallocate=" + preallocate;
        try (Log log = Log.open(io, dir, options)) {
          long last = log.lastPosition().value();
          assertTrue(last >= model.size() && last <= model.size() + attempted.size(), at);
          model.addAll(attempted.subList(0, (int) (last - model.size())));
          LogTesting.assertLogEquals(model, log);
          if (log.damage().isPresent() && log.damage().get().reason().contains("torn batch")) {
            tornBatches++;
          }
          append(log, 2, 50);
        } catch (CorruptionException e) {
          throw new AssertionError(at + ": " + e.getMessage(), e);
        }
        assertTrue(Log.verify(io, dir, 1).ok(), at);
      }
      assertTrue(tornBatches > 10, "torn batches recovered: " + tornBatches);
    }
  }

  @Test
  void shouldRejectTheBatchEndFlagFromCallers() {
    assertThrows(
        io.veritydb.types.BadRequestException.class,
        () ->
            new LogEntry(
                (byte) 16, TenantId.of(1), 0, RecordDescriptor.FLAG_BATCH_END, new byte[1]));
  }

  @Test
  void shouldMarkTheLastRecordOfEveryBatchAndHideTheFlagFromReaders() {
    setUp(0);
    try (Log log = Log.open(io, dir, options(0))) {
      for (long p = 1; p <= model.size(); p++) {
        LogRecord r = log.read(LogPosition.of(p));
        int stored = RecordCodec.getInt(r.storedBytes(), RecordDescriptor.FLAGS_OFFSET);
        boolean end = p == 3 || p == olderBatch[1] || p == lastBatch[1];
        assertEquals(end, (stored & RecordDescriptor.FLAG_BATCH_END) != 0, "position " + p);
        assertEquals(0, r.flags(), "the log's own flags are not the caller's");
      }
    }
  }
}
