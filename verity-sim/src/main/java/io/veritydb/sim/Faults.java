package io.veritydb.sim;

import io.veritydb.simdisk.SimFileIo;
import java.util.Random;

/** The fault steps: crashes at chosen points, failing fsyncs, torn writes, full disk, bit flips. */
final class Faults {
  private static final java.util.List<SimFileIo.CrashMode> MODES =
      java.util.List.of(SimFileIo.CrashMode.values());

  private Faults() {}

  static void inject(Simulator sim, Op op, Random r) {
    SimFileIo disk = sim.disk;
    switch (op.kind()) {
      case RESTART -> {
        sim.trace.add(op + " clean restart");
        sim.closeEngine();
        sim.clearTransientFaults();
        sim.open();
      }
      case CRASH -> {
        SimFileIo.CrashMode mode = MODES.get(r.nextInt(MODES.size()));
        sim.trace.add(op + " crash between duty cycles");
        sim.crashEngine(mode);
        sim.clearTransientFaults();
        sim.open();
      }
      case CRASH_IN_IO -> crashInIo(sim, op, r);
      case FSYNC_FAIL -> {
        int n = 1 + r.nextInt(2);
        sim.trace.add(op + " the next " + n + " fsyncs fail");
        disk.failNextSyncs(n);
        sim.work();
      }
      case TORN_WRITE -> {
        sim.trace.add(op + " the writes of one duty cycle tear");
        disk.setTornWriteProbability(1.0);
        try {
          sim.work();
        } finally {
          disk.setTornWriteProbability(0);
        }
      }
      case DISK_FULL -> {
        long room = r.nextInt(16384);
        sim.trace.add(op + " disk full after " + room + " more bytes");
        disk.setDiskBudget(disk.usedBytes() + room);
      }
      case READ_ERROR -> {
        double p = 0.05 + 0.9 * r.nextDouble();
        sim.trace.add(op + " reads fail with probability " + String.format("%.2f", p));
        sim.readErrors(p);
        try {
          sim.auditor().query(op, r, r.nextBoolean());
          sim.work();
        } finally {
          sim.readErrors(0);
        }
      }
      case BIT_FLIP_LOG, BIT_FLIP_STORE -> {
        String dir = op.kind() == Op.Kind.BIT_FLIP_LOG ? "log" : "store";
        String where = flip(sim, Simulator.DIR.resolve(dir), r);
        sim.trace.add(op + " bit flip " + (where == null ? "(no file yet)" : where));
        sim.corruptionInjected |= where != null;
      }
      default -> throw new IllegalArgumentException("not a fault step: " + op);
    }
  }

  /**
   * Flips a bit in a stretch the engine read lately (live data: a latent sector error), or half the
   * time, anywhere in a file under {@code dir}.
   */
  private static String flip(Simulator sim, java.nio.file.Path dir, Random r) {
    java.util.List<CrashingFileIo.Read> candidates = new java.util.ArrayList<>();
    for (CrashingFileIo.Read read : sim.crashing.recentReads()) {
      if (read.path().startsWith(dir) && sim.disk.exists(read.path())) {
        candidates.add(read);
      }
    }
    if (candidates.isEmpty() || r.nextBoolean()) {
      return sim.disk.flipRandomBit(dir);
    }
    CrashingFileIo.Read read = candidates.get(r.nextInt(candidates.size()));
    long offset = read.offset() + r.nextInt(read.length());
    int bit = r.nextInt(8);
    try {
      sim.disk.flipBit(read.path(), offset, bit);
    } catch (IllegalArgumentException gone) {
      return sim.disk.flipRandomBit(dir); // the file shrank since it was read
    }
    return read.path() + "@" + offset + ":" + bit + " (read lately)";
  }

  /**
   * Crashes at the n-th file change from now: during duty cycles (group commit, store flushes), a
   * clean close, or recovery itself.
   */
  private static void crashInIo(Simulator sim, Op op, Random r) {
    // half the time within the next few changes (the next group commit), else further on
    long n = 1L + (r.nextBoolean() ? r.nextInt(6) : r.nextInt(60));
    boolean after = r.nextBoolean();
    SimFileIo.CrashMode mode = MODES.get(r.nextInt(MODES.size()));
    boolean inRecovery = r.nextInt(4) == 0;
    sim.trace.add(
        op
            + " crash "
            + mode
            + " "
            + (after ? "after" : "before")
            + " file change "
            + n
            + (inRecovery ? " of recovery" : ""));
    if (inRecovery) {
      sim.crashEngine(MODES.get(r.nextInt(MODES.size())));
      sim.clearTransientFaults();
      sim.crashing.arm(n, after, mode);
      sim.open();
      sim.crashing.disarm();
      return;
    }
    sim.crashing.arm(n, after, mode);
    try {
      int cycles = 1 + r.nextInt(6);
      for (int i = 0; i < cycles && sim.engine() != null; i++) {
        sim.work();
      }
      sim.trace.add("  not crashed in duty cycles: close");
      sim.closeEngine();
    } catch (SimulatedCrash c) {
      sim.crashed(c);
    }
    sim.crashing.disarm();
    sim.clearTransientFaults();
    sim.open();
  }
}
