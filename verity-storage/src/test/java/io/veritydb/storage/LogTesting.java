package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.ChainHash;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Helpers shared by the log tests. */
final class LogTesting {
  private LogTesting() {}

  static LogEntry entry(Random random, int maxPayload) {
    int length = random.nextInt(maxPayload + 1);
    byte[] payload = new byte[length];
    if (random.nextBoolean()) {
      random.nextBytes(payload);
    } else {
      for (int i = 0; i < length; i++) {
        payload[i] = (byte) ('a' + (i % 7));
      }
    }
    return new LogEntry(
        (byte) (16 + random.nextInt(240)),
        new TenantId(random.nextInt(5)),
        random.nextLong() & Long.MAX_VALUE,
        random.nextBoolean() ? RecordDescriptor.FLAG_ENCRYPTED : 0,
        payload);
  }

  static List<LogEntry> batch(Random random, int size, int maxPayload) {
    List<LogEntry> entries = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      entries.add(entry(random, maxPayload));
    }
    return entries;
  }

  static void assertSame(LogEntry expected, LogRecord actual) {
    assertEquals(expected.kind(), actual.kind());
    assertEquals(expected.tenant(), actual.tenant());
    assertEquals(expected.timestampMicros(), actual.timestampMicros());
    assertEquals(expected.flags(), actual.flags());
    assertArrayEquals(expected.payload(), actual.payload());
  }

  /** Iterates the whole log, checking each record equals the model and the chain links. */
  static void assertLogEquals(List<LogEntry> model, Log log) {
    assertEquals(LogPosition.of(model.size()), log.lastPosition());
    ChainHash chain = Blake3.GENESIS;
    Blake3 blake3 = new Blake3();
    int i = 0;
    try (LogCursor cursor = log.iterate(LogPosition.of(1))) {
      while (cursor.next()) {
        LogRecord r = cursor.record();
        assertEquals(LogPosition.of(i + 1), r.position());
        assertSame(model.get(i), r);
        assertEquals(chain, r.previousChainHash(), "chain link at " + r.position());
        chain = blake3.chain(chain, r.digest());
        assertEquals(chain, r.chainHash());
        i++;
      }
    }
    assertEquals(model.size(), i);
    assertEquals(chain, log.lastChainHash());
  }

  static LogOptions small() {
    return LogOptions.builder().segmentSize(8192).compressionThreshold(64).parallelism(1).build();
  }
}
