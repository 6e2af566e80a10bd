package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The limits that decide how the log is read live in the directory: a record written under a larger
 * maxPayload than a later open's is read by it, never cut off as a torn tail.
 */
class LogLimitsTest {
  private static final Path DIR = Path.of("/limits/log");
  private static final int BIG = 20 << 20;

  private final SimFileIo disk = new SimFileIo(5);

  private static LogOptions withMaxPayload(int bytes) {
    return LogOptions.builder()
        .parallelism(1)
        .maxPayload(bytes)
        .maxBatchBytes(64 << 20)
        .compressionThreshold(Integer.MAX_VALUE)
        .build();
  }

  private static LogEntry entry(byte[] payload) {
    return new LogEntry((byte) 16, TenantId.of(1), 1, 0, payload);
  }

  private byte[] appendBigRecord() {
    byte[] big = new byte[BIG];
    new Random(1).nextBytes(big);
    try (Log log = Log.open(disk, DIR, withMaxPayload(48 << 20))) {
      log.append(List.of(entry(new byte[] {1})));
      log.append(List.of(entry(big)));
    }
    return big;
  }

  @Test
  void shouldReadARecordWrittenUnderALargerLimitWithDefaultOptions() {
    byte[] big = appendBigRecord();
    try (Log log = Log.open(disk, DIR, LogOptions.builder().parallelism(1).build())) {
      assertEquals(2, log.lastPosition().value(), "the acknowledged big record was cut off");
      assertTrue(log.damage().isEmpty());
      assertArrayEquals(big, log.read(LogPosition.of(2)).payload());
    }
    VerifyReport report = Log.verify(disk, DIR, 1);
    assertTrue(report.ok(), report.toString());
    assertEquals(2, report.lastGoodPosition().value());
  }

  @Test
  void shouldNeverLowerTheRecordedLimits() {
    appendBigRecord();
    try (Log log = Log.open(disk, DIR, withMaxPayload(1 << 20))) {
      assertEquals(2, log.lastPosition().value());
    }
    assertEquals(48 << 20, LogLimits.read(disk, DIR.resolve(LogLimits.FILE_NAME)).maxPayload());
  }

  @Test
  void shouldReadALogWithoutALimitsFileWithTheFormatMaxima() {
    appendBigRecord();
    disk.delete(DIR.resolve(LogLimits.FILE_NAME));
    try (Log log = Log.open(disk, DIR, LogOptions.builder().parallelism(1).build())) {
      assertEquals(2, log.lastPosition().value());
    }
    assertEquals(LogLimits.FORMAT_MAXIMA, LogLimits.read(disk, DIR.resolve(LogLimits.FILE_NAME)));
  }

  @Test
  void shouldReportADamagedLimitsFileNamingIt() {
    appendBigRecord();
    Path file = DIR.resolve(LogLimits.FILE_NAME);
    for (int offset = 0; offset < LogLimits.LENGTH; offset++) {
      disk.flipBit(file, offset, 3);
      CorruptionException e =
          assertThrows(
              CorruptionException.class,
              () -> Log.open(disk, DIR, LogOptions.builder().parallelism(1).build()).close());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      disk.flipBit(file, offset, 3);
    }
    try (FileHandle h = disk.open(file, FileIo.Mode.WRITE)) {
      h.truncate(7);
    }
    CorruptionException e = assertThrows(CorruptionException.class, () -> Log.verify(disk, DIR, 1));
    assertTrue(e.getMessage().contains("limits.dat"), e.getMessage());
  }
}
