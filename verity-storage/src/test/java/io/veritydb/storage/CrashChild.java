package io.veritydb.storage;

import io.veritydb.io.NioFileIo;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link ChildJvmCrashTest}: opens the log in {@code args[0]}, prints "ready
 * N", then appends batches forever, printing each batch's last position after append returned. The
 * payload of each position is derived from the position, so the parent can check contents.
 */
public final class CrashChild {
  private static final int MAX_BATCHES = 1_000_000;

  private CrashChild() {}

  static LogEntry entryFor(long position) {
    Random random = new Random(position);
    byte[] payload = new byte[20 + random.nextInt(400)];
    random.nextBytes(payload);
    return new LogEntry(
        (byte) (16 + position % 200), new TenantId(position % 5), position, 0, payload);
  }

  static LogOptions options() {
    return LogOptions.builder().segmentSize(256 << 10).parallelism(1).build();
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    Random random = new Random(Long.parseLong(args[1]));
    try (Log log = Log.open(NioFileIo.INSTANCE, Path.of(args[0]), options())) {
      long last = log.lastPosition().value();
      out.println("ready " + last);
      for (int i = 0; i < MAX_BATCHES; i++) {
        int size = 1 + random.nextInt(random.nextBoolean() ? 4 : 64);
        List<LogEntry> batch = new ArrayList<>(size);
        for (int j = 1; j <= size; j++) {
          batch.add(entryFor(last + j));
        }
        LogPosition p = log.append(batch);
        last = p.value();
        out.println(last);
      }
    }
  }
}
