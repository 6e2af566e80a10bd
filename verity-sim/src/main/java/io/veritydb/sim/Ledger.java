package io.veritydb.sim;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.internal.Engine;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ClosedException;
import io.veritydb.types.ConstraintViolationException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.UnavailableException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The commands submitted and not yet taken into the model, in submission order, and how they are
 * taken in: from their callers' replies when those say where they are (acknowledged at a position,
 * or rejected), else from the log itself, matched by request id (after a failure, a crash, or a
 * command that failed without being written).
 */
final class Ledger {
  /** A submitted command whose outcome the model has not taken in yet. */
  private record Pending(
      Op op, int caller, CompletableFuture<ExecuteResult> future, Workload.Statement st) {}

  private final Simulator sim;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  Ledger(Simulator sim) {
    this.sim = sim;
  }

  void add(Op op, int caller, CompletableFuture<ExecuteResult> future, Workload.Statement st) {
    pending.addLast(new Pending(op, caller, future, st));
  }

  /**
   * After recovery to {@code recovered}: takes in what the log holds; every other outstanding
   * command was lost, which is fine only if its caller was never told it committed.
   */
  void recovered(long recovered) {
    settle(recovered);
    while (!pending.isEmpty()) {
      Pending p = pending.pollFirst();
      if (outcome(p) instanceof ExecuteResult || isRejection(outcome(p))) {
        throw new Violation(
            "acknowledged op #"
                + p.op().index()
                + " is not in the recovered log (which ends at "
                + recovered
                + "): "
                + p.st().describe());
      }
      sim.trace.add("  op #" + p.op().index() + " (not acknowledged) was lost");
    }
  }

  int outstanding(int caller) {
    int n = 0;
    for (Pending p : pending) {
      if (p.caller() == caller && !p.future().isDone()) {
        n++;
      }
    }
    return n;
  }

  /** Whether some submitted command has not completed yet. */
  boolean anyOutstanding() {
    for (Pending p : pending) {
      if (!p.future().isDone()) {
        return true;
      }
    }
    return false;
  }

  /** The result, the failure, or null when not completed yet. */
  private static Object outcome(Pending p) {
    if (!p.future().isDone()) {
      return null;
    }
    try {
      return p.future().join();
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** A deterministic rejection by the kernel: the command is in the log, its effect is nil. */
  private static boolean isRejection(Object outcome) {
    return outcome instanceof ConstraintViolationException
        || outcome instanceof BadRequestException;
  }

  /**
   * Takes in, in order, every command whose future completed with a known position: the fast path.
   * Anything else (a command failed before or during its append, positions skipped) is settled
   * against the log itself.
   */
  void complete(Engine engine) {
    fastPath();
    if (engine != null && engine.lastPosition().value() > sim.model.position()) {
      settle(engine.lastPosition().value());
      fastPath();
    }
    if (engine != null && engine.lastPosition().value() != sim.model.position()) {
      throw new Violation(
          "the engine has applied up to "
              + engine.lastPosition()
              + " but acknowledged "
              + sim.model.position());
    }
  }

  private void fastPath() {
    while (!pending.isEmpty()) {
      Pending p = pending.peekFirst();
      Object outcome = outcome(p);
      if (outcome instanceof CorruptionException ce) {
        sim.corruption("apply", ce);
      }
      boolean next =
          outcome instanceof ExecuteResult r && r.position().value() == sim.model.position() + 1;
      if (!next && !isRejection(outcome)) {
        if (outcome instanceof Throwable t
            && !(outcome instanceof UnavailableException)
            && !(outcome instanceof ClosedException)) {
          throw new Violation(
              "op #" + p.op().index() + " failed with " + t + ": " + p.st().describe());
        }
        return; // not done, or unknown: settled from the log later
      }
      pending.pollFirst();
      take(p, sim.model.position() + 1, outcome);
    }
  }

  /** Takes op {@code p} into the model at {@code position}, checking what its caller was told. */
  private void take(Pending p, long position, Object outcome) {
    Model.Expect expect =
        sim.model.advance(
            p.st().effect,
            p.st().tenant,
            Simulator.actor(p.caller()),
            Simulator.requestId(p.op()),
            p.st().audited);
    String who = "  op #" + p.op().index();
    if (sim.model.position() != position) {
      throw new Violation(
          who + " is at " + position + " but the model is at " + sim.model.position());
    }
    if (outcome instanceof ExecuteResult result) {
      if (expect.rejected()
          || result.position().value() != position
          || result.rowsAffected() != expect.rows()) {
        throw new Violation(
            who
                + " returned "
                + result
                + " but the model expects "
                + expect
                + " at position "
                + position
                + ": "
                + p.st().describe());
      }
      sim.trace.add(who + " acknowledged at " + position + ", rows " + result.rowsAffected());
    } else if (isRejection(outcome)) {
      if (!(outcome instanceof ConstraintViolationException)
          || !expect.explains(((Throwable) outcome).getMessage())) {
        throw new Violation(
            who
                + " was rejected ("
                + outcome
                + ") but the model expects "
                + expect
                + ": "
                + p.st().describe());
      }
      sim.trace.add(who + " rejected at " + position + ": " + ((Throwable) outcome).getMessage());
    } else {
      sim.trace.add(
          who
              + " (outcome unknown to its caller) is in the log at "
              + position
              + (expect.rejected() ? " (rejected)" : ""));
    }
  }

  /**
   * Takes in the log's records after the model's position up to {@code upTo}: each must be the next
   * outstanding command that was written (matched by request id); outstanding commands skipped over
   * were not written, which is fine only if their callers were not told otherwise.
   */
  void settle(long upTo) {
    if (upTo <= sim.model.position()) {
      return;
    }
    List<String> ids = sim.auditor().requestIds(sim.model.position() + 1, upTo);
    long position = sim.model.position();
    for (String id : ids) {
      position++;
      while (true) {
        Pending p = pending.peekFirst();
        if (p == null) {
          throw new Violation(
              "the log holds request " + id + " at " + position + ", which is not outstanding");
        }
        if (Simulator.requestId(p.op()).equals(id)) {
          break;
        }
        Object outcome = outcome(p);
        if (outcome instanceof ExecuteResult || isRejection(outcome)) {
          throw new Violation(
              "the log holds request "
                  + id
                  + " at "
                  + position
                  + " where op #"
                  + p.op().index()
                  + " was acknowledged ("
                  + outcome
                  + ")");
        }
        sim.trace.add(
            "  op #" + p.op().index() + " (outcome unknown to its caller) was not written");
        pending.pollFirst();
      }
      Pending p = pending.pollFirst();
      take(p, position, outcome(p));
    }
  }
}
