package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.LogPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The same seeded sequence of appends, reopens, chain marks, reads and iterations on the log and on
 * a plain list; the log must always equal the list. Runs on the simulated and on the real disk.
 */
class LogModelProperties {
  @Property(tries = 60)
  void logEqualsListModelOnSimulatedDisk(@ForAll long seed) {
    run(new SimFileIo(seed), Path.of("/model"), seed);
  }

  @Property(tries = 12)
  void logEqualsListModelOnRealDisk(@ForAll long seed) throws IOException {
    Path dir = Files.createTempDirectory("verity-log-model");
    try {
      run(NioFileIo.INSTANCE, dir.resolve("log"), seed);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static void run(FileIo io, Path dir, long seed) {
    Random random = new Random(seed);
    LogOptions options =
        LogOptions.builder()
            .segmentSize(4096 + random.nextInt(20000))
            .compressionThreshold(1 + random.nextInt(2000))
            .parallelism(1 + random.nextInt(2))
            .openCheck(
                random.nextBoolean()
                    ? LogOptions.OpenCheck.FULL
                    : LogOptions.OpenCheck.FROM_LAST_MARK)
            .build();
    List<LogEntry> model = new ArrayList<>();
    Log log = Log.open(io, dir, options);
    try {
      int steps = 5 + random.nextInt(25);
      for (int step = 0; step < steps; step++) {
        int action = random.nextInt(10);
        if (action < 6) {
          List<LogEntry> batch =
              LogTesting.batch(random, 1 + random.nextInt(random.nextBoolean() ? 3 : 100), 600);
          assertEquals(
              LogPosition.of(model.size() + batch.size()), log.append(batch), "seed " + seed);
          model.addAll(batch);
        } else if (action < 7) {
          log.close();
          log = Log.open(io, dir, options);
        } else if (action < 8) {
          log.mark();
        } else if (!model.isEmpty()) {
          int p = 1 + random.nextInt(model.size());
          LogTesting.assertSame(model.get(p - 1), log.read(LogPosition.of(p)));
          try (LogCursor c = log.iterate(LogPosition.of(p))) {
            for (int i = p; i <= model.size(); i++) {
              assertEquals(true, c.next(), "seed " + seed);
              LogTesting.assertSame(model.get(i - 1), c.record());
            }
            assertEquals(false, c.next(), "seed " + seed);
          }
        }
      }
      LogTesting.assertLogEquals(model, log);
    } finally {
      log.close();
    }
    try (Log reopened = Log.open(io, dir, options)) {
      LogTesting.assertLogEquals(model, reopened);
    }
  }
}
