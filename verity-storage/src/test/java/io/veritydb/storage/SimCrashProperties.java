package io.veritydb.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Appends on the simulated disk with faults (torn writes, failed fsyncs) and crashes at random
 * points (power loss, torn power loss, process crash). After every crash: every record whose append
 * returned is present and equal, anything after it is a prefix of what was attempted, and the chain
 * verifies.
 */
class SimCrashProperties {
  private static final SimFileIo.CrashMode[] MODES = SimFileIo.CrashMode.values();

  /** Off (segments without a header), small chunks (frequent extensions), the default. */
  private static final long[] PREALLOCATE = {0, 4096, 8192, LogOptions.DEFAULT_PREALLOCATE};

  @Property(tries = 80)
  void acknowledgedRecordsSurviveEveryCrash(@ForAll long seed) {
    Random random = new Random(seed);
    SimFileIo io = new SimFileIo(seed);
    Path dir = Path.of("/crash");
    LogOptions options =
        LogOptions.builder()
            .segmentSize(4096 + random.nextInt(16384))
            .compressionThreshold(200)
            .parallelism(1)
            .preallocate(PREALLOCATE[random.nextInt(PREALLOCATE.length)])
            .openCheck(
                random.nextBoolean()
                    ? LogOptions.OpenCheck.FULL
                    : LogOptions.OpenCheck.FROM_LAST_MARK)
            .build();
    List<LogEntry> attempted = new ArrayList<>();
    int acknowledged = 0;
    int marked = 0;
    for (int round = 0; round < 8; round++) {
      Log log = Log.open(io, dir, options);
      long last = log.lastPosition().value();
      String context = "seed " + seed + " round " + round;
      assertTrue(last >= acknowledged && last <= attempted.size(), context + " last " + last);
      assertTrue(last >= marked, context);
      List<LogEntry> survived = new ArrayList<>(attempted.subList(0, (int) last));
      LogTesting.assertLogEquals(survived, log);
      attempted = survived;
      acknowledged = (int) last;
      io.setTornWriteProbability(random.nextInt(3) == 0 ? 0.2 : 0);
      io.setSyncFailureProbability(random.nextInt(3) == 0 ? 0.1 : 0);
      int steps = random.nextInt(12);
      try {
        for (int step = 0; step < steps; step++) {
          List<LogEntry> batch =
              LogTesting.batch(random, 1 + random.nextInt(random.nextBoolean() ? 4 : 60), 400);
          attempted.addAll(batch);
          LogPosition p = log.append(batch);
          acknowledged = (int) p.value();
          if (random.nextInt(5) == 0) {
            marked = (int) log.mark().position().value();
          }
        }
      } catch (UnavailableException expected) {
        // an injected fault: the batch may or may not have reached the disk
      }
      io.setTornWriteProbability(0);
      io.setSyncFailureProbability(0);
      io.crash(MODES[random.nextInt(MODES.length)]);
      log.close();
    }
    try (Log log = Log.open(io, dir, options)) {
      assertTrue(log.lastPosition().value() >= acknowledged, "seed " + seed);
    }
  }
}
