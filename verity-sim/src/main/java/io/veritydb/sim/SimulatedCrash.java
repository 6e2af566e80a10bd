package io.veritydb.sim;

/**
 * Thrown through the engine when the simulated process dies in the middle of an operation. An
 * {@link Error}, so that no engine code that handles I/O failures ({@code RuntimeException}) can
 * catch it: the process is gone, not failing.
 */
final class SimulatedCrash extends Error {
  private static final long serialVersionUID = 1L;

  SimulatedCrash(String where) {
    super(where, null, false, false);
  }
}
