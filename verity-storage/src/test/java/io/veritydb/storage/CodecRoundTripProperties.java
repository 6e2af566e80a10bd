package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CodecRoundTripProperties {
  @Provide
  Arbitrary<LogEntry> entries() {
    Arbitrary<Byte> kinds = Arbitraries.integers().between(16, 255).map(i -> (byte) (int) i);
    Arbitrary<Long> tenants = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<Long> times = Arbitraries.longs();
    Arbitrary<Integer> flags = Arbitraries.integers().map(f -> f & ~RecordDescriptor.LOG_FLAGS);
    Arbitrary<byte[]> payloads =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
            Arbitraries.bytes()
                .between((byte) 'a', (byte) 'c')
                .array(byte[].class)
                .ofMaxSize(5000));
    return Combinators.combine(kinds, tenants, times, flags, payloads)
        .as((k, t, ts, f, p) -> new LogEntry(k, new TenantId(t), ts, f, p));
  }

  @Property(tries = 200)
  void everyRecordReadsBackAsAppended(
      @ForAll @Size(min = 1, max = 20) List<@net.jqwik.api.From("entries") LogEntry> batch,
      @ForAll @IntRange(min = 1, max = 4096) int compressionThreshold) {
    LogOptions options =
        LogOptions.builder().compressionThreshold(compressionThreshold).parallelism(1).build();
    SimFileIo io = new SimFileIo(0);
    Path dir = Path.of("/codec");
    try (Log log = Log.open(io, dir, options)) {
      log.append(batch);
      for (int i = 0; i < batch.size(); i++) {
        LogRecord r = log.read(LogPosition.of(i + 1));
        LogTesting.assertSame(batch.get(i), r);
        assertEquals(
            batch.get(i).payloadLength() >= compressionThreshold && r.isCompressed(),
            r.isCompressed());
      }
    }
    try (Log log = Log.open(io, dir, options)) {
      LogTesting.assertLogEquals(new ArrayList<>(batch), log);
    }
  }
}
