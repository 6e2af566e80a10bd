package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link RecoveryTest} on preallocated segments (format 2, the default). Two cases
 * differ by design: zeros after the last record are free space, not a torn tail.
 */
class PreallocatedRecoveryTest extends RecoveryTest {
  @Override
  LogOptions options() {
    return LogOptions.builder()
        .segmentSize(4096)
        .compressionThreshold(64)
        .parallelism(1)
        .preallocate(4096)
        .build();
  }

  /** In format 2, zeros after the last record are free space: no damage, nothing cut. */
  @Test
  @Override
  void recoversTornTailOfZerosToLastWholeRecord() {
    Path last = lastSegment();
    write(last, size(last), new byte[700]);
    try (Log log = Log.open(io, dir, options())) {
      LogTesting.assertLogEquals(model, log);
      assertTrue(log.damage().isEmpty(), "zeros after the last record are free space");
    }
    assertTrue(Log.verify(io, dir, 1).ok());
  }

  /** In format 2, a few zero bytes after the last record are free space as well. */
  @Test
  @Override
  void recoversATornHeaderOfAFewBytesAtTheEndOfALargeSegment() {
    SimFileIo disk = new SimFileIo(13);
    Path large = Path.of("/large");
    List<LogEntry> entries = LogTesting.batch(new Random(13), 40, 400);
    LogOptions options = LogOptions.builder().parallelism(1).build();
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
        assertTrue(log.damage().isEmpty(), "zeros after the last record are free space");
      }
    }
  }
}
