package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.Blake3;
import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Digests consumed in order while the pool computes them equal the sequential ones. */
class DigesterTest {
  @Test
  void shouldHandOutDigestsInOrderEqualToSequentialOnesForAnyCount() {
    Random random = new Random(21);
    byte[] buffer = new byte[1 << 16];
    random.nextBytes(buffer);
    int[] starts = new int[600];
    int[] lengths = new int[600];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = random.nextInt(buffer.length - 1000);
      lengths[i] = random.nextInt(900);
    }
    try (Digester sequential = new Digester(1);
        Digester parallel = new Digester(2)) {
      for (int count : new int[] {1, 15, 16, 17, 63, 64, 65, 200, 600}) {
        byte[] expected = new byte[count * Blake3.LENGTH];
        sequential.digest(buffer, starts, lengths, count, expected);
        for (Digester digester : List.of(sequential, parallel)) {
          byte[] actual = new byte[count * Blake3.LENGTH];
          try (Digester.InOrder job =
              digester.digestInOrder(buffer, starts, lengths, count, actual)) {
            int from = 0;
            while (from < count) {
              int to = job.readyFrom(from);
              assertTrue(to > from && to <= count, "from " + from + " to " + to);
              for (int i = from * Blake3.LENGTH; i < to * Blake3.LENGTH; i++) {
                assertEquals(expected[i], actual[i], "count " + count + " byte " + i);
              }
              from = to;
            }
          }
          assertArrayEquals(expected, actual);
        }
      }
    }
  }

  @Test
  void shouldStopEarlyAndWaitForTheDigestsInFlight() {
    byte[] buffer = new byte[1 << 16];
    int[] starts = new int[1000];
    int[] lengths = new int[1000];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = i * 60;
      lengths[i] = 100;
    }
    try (Digester parallel = new Digester(2)) {
      for (int round = 0; round < 50; round++) {
        byte[] out = new byte[1000 * Blake3.LENGTH];
        try (Digester.InOrder job = parallel.digestInOrder(buffer, starts, lengths, 1000, out)) {
          assertTrue(job.readyFrom(0) > 0);
        }
      }
    }
  }

  /** A broken chain deep in a large batch is found with the digests computed on two threads. */
  @Test
  void shouldFindABrokenChainInALargeBatchScannedInParallel() {
    SimFileIo io = new SimFileIo(22);
    Path dir = Path.of("/par");
    LogOptions options = LogOptions.builder().parallelism(2).build();
    try (Log log = Log.open(io, dir, options)) {
      log.append(LogTesting.batch(new Random(22), 2000, 60));
    }
    long[] where;
    try (Log log = Log.open(io, dir, options)) {
      Segment s = log.segmentOf(1500);
      where = new long[] {s.offsetOf(1500), s.endOf(1500)};
    }
    Path file = dir.resolve(Segment.fileName(1));
    byte[] record = new byte[(int) (where[1] - where[0])];
    try (FileHandle h = io.open(file, FileIo.Mode.WRITE)) {
      h.read(ByteBuffer.wrap(record), where[0]);
      record[RecordDescriptor.TIMESTAMP_OFFSET] ^= 1;
      RecordCodec.writeCrc(new CRC32C(), record, 0, RecordCodec.storedLength(record, 0));
      h.write(ByteBuffer.wrap(record), where[0]);
      h.sync();
    }
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> Log.open(io, dir, options));
    assertTrue(e.getMessage().contains("log position 1501"), e.getMessage());
    assertEquals(1500, Log.verify(io, dir, 2).lastGoodPosition().value());
  }
}
