package io.veritydb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Everything one seed decides before the run: engine settings and the program of steps (workload,
 * scheduling and fault schedule). Each part draws from its own stream forked from the seed.
 */
final class SimConfig {
  static final int TENANTS = 3;
  static final int CALLERS = 4;

  final long seed;
  final int maxBatchCommands;
  final long checkpointEvery;
  final long segmentSize;
  final List<Op> program;

  private SimConfig(long seed, int maxBatch, long checkpointEvery, long segment, List<Op> program) {
    this.seed = seed;
    this.maxBatchCommands = maxBatch;
    this.checkpointEvery = checkpointEvery;
    this.segmentSize = segment;
    this.program = List.copyOf(program);
  }

  /** The stream number {@code stream} of {@code seed} (SplitMix64 of both). */
  static long fork(long seed, long stream) {
    long z = seed + stream * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** How often each kind of step comes up. */
  enum Profile {
    /** Workload with a seed-chosen fault level (0 to 3): a quarter of the seeds run fault-free. */
    DEFAULT,
    /** Many bit flips and restarts: exercises detection of corruption. */
    CORRUPTION,
    /** Every fault but bit flips, at the highest level: long runs that corruption cannot end. */
    CRASHES
  }

  static SimConfig generate(long seed, int steps) {
    return generate(seed, steps, Profile.DEFAULT);
  }

  static SimConfig generate(long seed, int steps, Profile profile) {
    Random engine = new Random(fork(seed, 1));
    int maxBatch = 1 + engine.nextInt(8);
    long checkpointEvery = 3L + engine.nextInt(40);
    long segment = 4096L << engine.nextInt(5);
    Random gen = new Random(fork(seed, 2));
    int faultLevel = profile == Profile.CRASHES ? 3 : gen.nextInt(4);
    List<Op> program = new ArrayList<>();
    program.add(new Op(0, Op.Kind.CREATE_TABLE, gen.nextLong()));
    program.add(new Op(1, Op.Kind.CREATE_TABLE, gen.nextLong()));
    program.add(new Op(2, Op.Kind.WORK, gen.nextLong()));
    while (program.size() < steps) {
      program.add(new Op(program.size(), pick(gen, faultLevel, profile), gen.nextLong()));
    }
    return new SimConfig(seed, maxBatch, checkpointEvery, segment, program);
  }

  /** The same settings with another program (a shrunk one). */
  SimConfig withProgram(List<Op> ops) {
    return new SimConfig(seed, maxBatchCommands, checkpointEvery, segmentSize, ops);
  }

  private static Op.Kind pick(Random r, int faultLevel, Profile profile) {
    int total = 0;
    for (Op.Kind k : Op.Kind.values()) {
      total += weight(k, faultLevel, profile);
    }
    int x = r.nextInt(total);
    for (Op.Kind k : Op.Kind.values()) {
      x -= weight(k, faultLevel, profile);
      if (x < 0) {
        return k;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Relative frequency of a step; faults scale with the seed's fault level (0: none). */
  private static int weight(Op.Kind k, int level, Profile profile) {
    if (profile == Profile.CRASHES && (k == Op.Kind.BIT_FLIP_LOG || k == Op.Kind.BIT_FLIP_STORE)) {
      return 0;
    }
    if (profile == Profile.CORRUPTION) {
      switch (k) {
        case BIT_FLIP_STORE -> {
          return 10;
        }
        case BIT_FLIP_LOG -> {
          return 2;
        }
        case RESTART -> {
          return 30;
        }
        default -> {}
      }
    }
    return switch (k) {
      case CREATE_TABLE -> 25;
      case CREATE_INDEX -> 15;
      case INSERT -> 120;
      case INSERT_BATCH -> 60;
      case UPDATE -> 60;
      case DELETE -> 35;
      case QUERY -> 100;
      case QUERY_AT -> 60;
      case WORK -> 250;
      case AUDIT -> 12;
      case RESTART -> 4 * level;
      case CRASH -> 6 * level;
      case CRASH_IN_IO -> 8 * level;
      case FSYNC_FAIL, TORN_WRITE, READ_ERROR -> 3 * level;
      case DISK_FULL -> 2 * level;
      case BIT_FLIP_LOG, BIT_FLIP_STORE -> level / 2;
    };
  }
}
