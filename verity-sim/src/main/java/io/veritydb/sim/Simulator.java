package io.veritydb.sim;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.internal.Engine;
import io.veritydb.api.internal.EngineConfig;
import io.veritydb.api.internal.Session;
import io.veritydb.io.FileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.storage.LogOptions;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * One deterministic run: a simulated disk and clock, the real engine driven step by step
 * (threaded=false), a model of what it must contain, faults, and invariant checks after every step.
 * Single-threaded: the same configuration gives the same trace, byte for byte.
 */
final class Simulator {
  static final Path DIR = Path.of("/sim/db");
  static final int MAX_OUTSTANDING_PER_CALLER = 4;

  final SimConfig config;
  private final Plant plant;
  final SimFileIo disk;
  final CrashingFileIo crashing;
  final FileIo io;
  final SimClock clock = new SimClock();
  final Trace trace = new Trace();
  final Model model = new Model();
  private final Random timing;

  /** Decides the order of events inside a step: whether a group's append runs before its apply. */
  private final Random scheduling;

  private final Workload workload = new Workload(model);
  private final Ledger ledger;
  private final Auditor auditor;
  private Engine engine;
  private boolean needsRestart;
  boolean corruptionInjected;
  boolean readFaults;
  private int faults;
  private int steps;
  private int current = -1;

  Simulator(SimConfig config, Plant plant) {
    this.config = config;
    this.plant = plant;
    this.disk = new SimFileIo(SimConfig.fork(config.seed, 3));
    this.crashing = new CrashingFileIo(disk);
    this.io = plant.io().apply(crashing);
    this.timing = new Random(SimConfig.fork(config.seed, 4));
    this.scheduling = new Random(SimConfig.fork(config.seed, 5));
    this.auditor = new Auditor(this);
    this.ledger = new Ledger(this);
    trace.add(
        "seed="
            + config.seed
            + " steps="
            + config.program.size()
            + " maxBatch="
            + config.maxBatchCommands
            + " checkpointEvery="
            + config.checkpointEvery
            + " segment="
            + config.segmentSize
            + " plant="
            + plant.name());
  }

  /** The configuration of each open: a new seed for its keys and nonces, as a new process. */
  EngineConfig engineConfig() {
    return EngineConfig.builder(DIR)
        .fileIo(io)
        .clock(clock)
        .logOptions(LogOptions.builder().parallelism(1).segmentSize(config.segmentSize).build())
        .storeOptions(StoreOptions.defaults().withCacheBytes(256 << 10))
        .queueCapacity(64)
        .maxBatchCommands(config.maxBatchCommands)
        .checkpointEvery(config.checkpointEvery)
        .statementCacheSize(64)
        .threaded(false)
        .appendBeforeApply(scheduling::nextBoolean)
        .storeDecorator(plant.store())
        .seededRandomForSimulation(disk.random().nextLong())
        .build();
  }

  Engine engine() {
    return engine;
  }

  Auditor auditor() {
    return auditor;
  }

  SimResult run() {
    SimResult.Outcome outcome = SimResult.Outcome.PASS;
    String message = "";
    try {
      open();
      for (Op op : config.program) {
        current = op.index();
        step(op);
        steps++;
      }
      current = -1;
      finish();
    } catch (Violation v) {
      outcome = SimResult.Outcome.FAIL;
      message = v.getMessage();
    } catch (Detected d) {
      outcome = SimResult.Outcome.DETECTED;
      message = d.getMessage();
    } catch (CorruptionException e) {
      outcome = corruptionInjected ? SimResult.Outcome.DETECTED : SimResult.Outcome.FAIL;
      message =
          "corruption reported" + (corruptionInjected ? "" : " with none injected") + ": " + e;
    } catch (RuntimeException | SimulatedCrash | StackOverflowError | AssertionError e) {
      outcome = SimResult.Outcome.FAIL;
      message = "unexpected " + e + stack(e);
    }
    trace.add("end " + outcome + (message.isEmpty() ? "" : ": " + message));
    return new SimResult(
        config.seed,
        outcome,
        steps,
        clock.elapsedMicros(),
        faults,
        trace.hash(),
        message,
        trace.lines(),
        outcome == SimResult.Outcome.FAIL ? current : -1);
  }

  private static String stack(Throwable e) {
    StringBuilder b = new StringBuilder();
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < Math.min(12, frames.length); i++) {
      b.append("\n    at ").append(frames[i]);
    }
    return b.toString();
  }

  private void step(Op op) {
    clock.advanceMicros(10 + timing.nextInt(500));
    if (needsRestart) {
      restartAfterStop(new Random(op.seed() ^ 0x5DEECE66DL));
    }
    if (op.kind().fault) {
      faults++;
    }
    Random r = new Random(op.seed());
    switch (op.kind()) {
      case CREATE_TABLE, CREATE_INDEX, INSERT, INSERT_BATCH, UPDATE, DELETE -> submit(op);
      case QUERY -> auditor.query(op, r, false);
      case QUERY_AT -> auditor.query(op, r, true);
      case WORK -> {
        int cycles = 1 + r.nextInt(3);
        for (int i = 0; i < cycles; i++) {
          work();
        }
      }
      case AUDIT -> auditor.audit("step " + op.index());
      default -> Faults.inject(this, op, r);
    }
  }

  // ---- the engine's lifecycle ---------------------------------------------------------------

  /** Opens the engine and takes in what recovery found; retries when the crash hits recovery. */
  void open() {
    for (int attempt = 0; ; attempt++) {
      try {
        engine = Engine.open(engineConfig());
        break;
      } catch (SimulatedCrash c) {
        trace.add("  crashed during recovery: " + c.getMessage());
        if (attempt > 3) {
          throw new Violation("recovery crashed too often");
        }
      } catch (CorruptionException e) {
        corruption("open", e);
      } catch (VerityException e) {
        throw new Violation("open failed with no fault active: " + e, e);
      }
    }
    clock.advanceMicros(50_000 + timing.nextInt(450_000));
    long recovered = engine.lastPosition().value();
    trace.add("  opened: log recovered to position " + recovered);
    if (recovered < model.position()) {
      throw new Violation(
          "acknowledged writes lost: positions up to "
              + model.position()
              + " were acknowledged (or seen), the database recovered only to "
              + recovered);
    }
    ledger.recovered(recovered);
    if (model.position() != recovered) {
      throw new Violation(
          "the log holds "
              + recovered
              + " positions but only "
              + model.position()
              + " commands were submitted");
    }
    needsRestart = false;
    auditor.audit("after open");
  }

  /** Reopens after the engine stopped: a clean close or a crash, as the step's stream says. */
  private void restartAfterStop(Random r) {
    int how = r.nextInt(3);
    trace.add("engine stopped earlier: restart by " + (how == 0 ? "close" : "crash"));
    if (how == 0) {
      closeEngine();
    } else {
      crashEngine(how == 1 ? SimFileIo.CrashMode.KEEP_UNSYNCED : SimFileIo.CrashMode.LOSE_UNSYNCED);
    }
    clearTransientFaults();
    open();
  }

  void closeEngine() {
    if (engine == null) {
      return;
    }
    Engine e = engine;
    try {
      e.close();
    } catch (CorruptionException ce) {
      engine = null;
      corruption("close", ce);
    } catch (UnavailableException ue) {
      trace.add("  close failed with a clear error: " + ue.getMessage());
    } finally {
      engine = null;
    }
    ledger.complete(engine);
  }

  void crashEngine(SimFileIo.CrashMode mode) {
    trace.add("  crash " + mode);
    disk.crash(mode);
    engine = null;
  }

  /** The engine died in a simulated crash already applied to the disk. */
  void crashed(SimulatedCrash c) {
    trace.add("  crashed " + c.getMessage());
    engine = null;
    ledger.complete(engine);
  }

  private double readErrorProbability;

  /** Sets the probability that a read fails (a READ_ERROR step). */
  void readErrors(double p) {
    readErrorProbability = p;
    disk.setReadErrorProbability(p);
    readFaults = p > 0;
  }

  /** The simulator's own reads of the log (checks, not the engine) do not see read faults. */
  void pauseReadFaults() {
    disk.setReadErrorProbability(0);
  }

  void resumeReadFaults() {
    disk.setReadErrorProbability(readErrorProbability);
  }

  void clearTransientFaults() {
    crashing.disarm();
    disk.setDiskBudget(Long.MAX_VALUE);
    disk.failNextSyncs(0);
    disk.setTornWriteProbability(0);
    readErrors(0);
    disk.clearReadErrors();
  }

  // ---- callers and the kernel agent -------------------------------------------------------------

  private void submit(Op op) {
    Workload.Statement st = workload.statement(op);
    if (st == null || engine == null) {
      trace.add(op + " skipped");
      return;
    }
    int caller = (int) Long.remainderUnsigned(op.seed(), SimConfig.CALLERS);
    for (int waits = 0; ledger.outstanding(caller) >= MAX_OUTSTANDING_PER_CALLER; waits++) {
      if (waits > 100 || engine == null) {
        throw new Violation("caller " + caller + " waits forever on its commands");
      }
      trace.add("caller " + caller + " waits");
      work();
    }
    CompletableFuture<ExecuteResult> future;
    try {
      TenantId tenant = TenantId.of(st.tenant);
      Session session = new Session(actor(caller), requestId(op));
      future =
          st.batch != null
              ? engine.submitBatch(tenant, session, st.sql, st.batch)
              : engine.submit(tenant, session, st.sql, st.params);
    } catch (UnavailableException e) {
      trace.add(op + " refused, engine stopped: " + e.getMessage());
      needsRestart = true;
      return;
    } catch (CorruptionException e) {
      corruption("submit", e);
      return;
    } catch (BadRequestException e) {
      if (st.refusal == null || !e.getMessage().contains(st.refusal)) {
        throw new Violation(
            "a statement was refused before the log, "
                + (st.refusal == null ? "valid" : "expected for \"" + st.refusal + "\"")
                + ": "
                + st.describe()
                + ": "
                + e,
            e);
      }
      trace.add(
          op
              + " caller "
              + caller
              + " tenant "
              + st.tenant
              + ": "
              + st.describe()
              + ": refused: "
              + Trace.printable(e.getMessage()));
      return;
    } catch (VerityException e) {
      throw new Violation("a valid statement was refused: " + st.describe() + ": " + e, e);
    }
    if (st.refusal != null) {
      throw new Violation(
          "the engine took a statement it must refuse before the log ("
              + st.refusal
              + "): "
              + st.describe());
    }
    trace.add(op + " caller " + caller + " tenant " + st.tenant + ": " + st.describe());
    ledger.add(op, caller, future, st);
  }

  /** The actor a simulated caller names in its session (and the audit trail records). */
  static String actor(int caller) {
    return "caller-" + caller;
  }

  static String requestId(Op op) {
    return "op-" + op.index();
  }

  /** One duty cycle of the kernel agent, then the model takes in what completed. */
  void work() {
    if (engine == null) {
      return;
    }
    int done = engine.agent().doWork();
    if (done > 0) {
      clock.advanceMicros(300 + timing.nextInt(1700));
      trace.add("  duty cycle: " + done + " commands");
    }
    ledger.complete(engine);
  }

  void corruption(String where, CorruptionException e) {
    trace.add("  corruption reported in " + where + ": " + e.getMessage());
    if (!corruptionInjected) {
      throw new Violation(
          "corruption reported with none injected, in " + where + ": " + e.getMessage(), e);
    }
    throw new Detected("corruption detected in " + where + ": " + e.getMessage());
  }

  /** Lets every caller finish, then a clean restart and a final audit. */
  private void finish() {
    trace.add("finish");
    if (needsRestart) {
      restartAfterStop(new Random(config.seed));
    }
    for (int i = 0; ledger.anyOutstanding() && engine != null; i++) {
      if (i > 1000) {
        throw new Violation("commands never completed");
      }
      work();
      if (needsRestart) {
        restartAfterStop(new Random(config.seed + i));
      }
    }
    closeEngine();
    clearTransientFaults();
    open();
    auditor.audit("final");
    closeEngine();
  }

  void stopped() {
    needsRestart = true;
  }

  boolean needsRestart() {
    return needsRestart;
  }
}
