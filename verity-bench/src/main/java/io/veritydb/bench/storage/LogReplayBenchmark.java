package io.veritydb.bench.storage;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.bench.harness.ShortOpsPerSecond;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogCursor;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.LogOptions;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading back a log of {@value #RECORDS} records with 100-byte payloads, in records per second:
 * {@code iterate} (replay: a cursor from position 1, CRC-checked, payload copied out) and {@code
 * open} (recovery: scan every record, CRC, digest and chain, rebuild the index) and {@code
 * openFromMark} (the same with {@link LogOptions.OpenCheck#FROM_LAST_MARK} after a chain mark at
 * the end: CRC and index only), with 1 or 2 hashing threads.
 */
@State(Scope.Benchmark)
public class LogReplayBenchmark extends ShortOpsPerSecond {
  static final int RECORDS = 200_000;

  @Param({"1", "2"})
  public int parallelism;

  private Path dir;
  private Log log;
  private LogOptions options;
  private LogOptions trusting;

  @Setup
  public void setUp() {
    dir = Dirs.temporary("verity-replay");
    options = LogOptions.builder().parallelism(parallelism).build();
    SplittableRandom random = new SplittableRandom(7);
    log = Log.open(NioFileIo.INSTANCE, dir.resolve("log"), options);
    for (int done = 0; done < RECORDS; done += 1000) {
      List<LogEntry> batch = new ArrayList<>(1000);
      for (int i = 0; i < 1000; i++) {
        byte[] p = new byte[100];
        random.nextBytes(p);
        batch.add(new LogEntry((byte) 16, TenantId.of(1), done + i, 0, p));
      }
      log.append(batch);
    }
    log.mark();
    trusting =
        LogOptions.builder()
            .parallelism(parallelism)
            .openCheck(LogOptions.OpenCheck.FROM_LAST_MARK)
            .build();
  }

  @TearDown
  public void tearDown() {
    log.close();
    Dirs.delete(dir);
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long iterate() {
    long sum = 0;
    try (LogCursor cursor = log.iterate(LogPosition.of(1))) {
      while (cursor.next()) {
        sum += cursor.record().payload()[0];
      }
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long open() {
    try (Log reopened = Log.open(NioFileIo.INSTANCE, dir.resolve("log"), options)) {
      return reopened.lastPosition().value();
    }
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long openFromMark() {
    try (Log reopened = Log.open(NioFileIo.INSTANCE, dir.resolve("log"), trusting)) {
      return reopened.lastPosition().value();
    }
  }
}
