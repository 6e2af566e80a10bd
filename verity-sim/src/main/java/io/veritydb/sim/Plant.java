package io.veritydb.sim;

import io.veritydb.io.FileIo;
import io.veritydb.store.ProjectionStore;
import java.util.function.UnaryOperator;

/**
 * Bugs planted on purpose, to show that the simulator catches them: decorators of the seams the
 * engine is built on, passed in by tests. {@link #NONE} plants nothing.
 *
 * @param name shown in traces
 * @param io wraps the file I/O the engine sees (below it: the crashing simulated disk)
 * @param store wraps the projection store the engine opens
 */
record Plant(String name, UnaryOperator<FileIo> io, UnaryOperator<ProjectionStore> store) {
  static final Plant NONE = new Plant("none", UnaryOperator.identity(), UnaryOperator.identity());

  static Plant io(String name, UnaryOperator<FileIo> io) {
    return new Plant(name, io, UnaryOperator.identity());
  }

  static Plant store(String name, UnaryOperator<ProjectionStore> store) {
    return new Plant(name, UnaryOperator.identity(), store);
  }
}
