package io.veritydb.sim;

import java.util.List;

/**
 * The result of one simulated run.
 *
 * @param seed the seed
 * @param outcome passed, stopped with a clear error after injected corruption, or failed
 * @param steps program steps executed
 * @param simulatedMicros simulated time covered
 * @param faults fault steps executed
 * @param traceHash hash of the trace (same seed and program: same hash)
 * @param message why it failed or stopped, else empty
 * @param trace the trace lines
 * @param failedAt index of the program step during which it failed (-1: none)
 */
public record SimResult(
    long seed,
    Outcome outcome,
    int steps,
    long simulatedMicros,
    int faults,
    String traceHash,
    String message,
    List<String> trace,
    int failedAt) {
  /** How a run ended. */
  public enum Outcome {
    /** Every invariant held to the end. */
    PASS,
    /** Injected corruption was detected and reported with a clear error; the run stopped there. */
    DETECTED,
    /** An invariant was violated: a bug (or a planted one). */
    FAIL
  }

  public boolean failed() {
    return outcome == Outcome.FAIL;
  }

  /** The one-line summary the runner prints. */
  public String summary() {
    return String.format(
        "seed=%d steps=%d sim=%.3fs faults=%d result=%s trace=%s%s",
        seed,
        steps,
        simulatedMicros / 1e6,
        faults,
        outcome,
        traceHash,
        message.isEmpty() ? "" : " (" + firstLine(message) + ")");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
