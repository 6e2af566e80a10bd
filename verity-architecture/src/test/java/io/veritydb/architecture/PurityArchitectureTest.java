package io.veritydb.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The kernel, the query layer and the replication protocol ({@link MainClasses#PURE}) do no I/O,
 * read no clock, use no randomness or threads and iterate no hash-ordered collection.
 */
class PurityArchitectureTest {
  private static final JavaClasses MAIN = MainClasses.get();

  @Test
  void shouldImportTheKernelAndQueryClasses() {
    // The rules allow an empty selection (io.veritydb.vsr has no classes yet); this keeps a
    // broken import from passing them vacuously.
    assertTrue(MAIN.containPackage("io.veritydb.kernel"), "kernel classes imported");
    assertTrue(MAIN.containPackage("io.veritydb.query"), "query classes imported");
    assertTrue(MAIN.contain("io.veritydb.kernel.Kernel"), "io.veritydb.kernel.Kernel imported");
    assertTrue(
        MAIN.contain("io.veritydb.query.QueryEngine"), "io.veritydb.query.QueryEngine imported");
  }

  @Test
  void pureCodeDoesNoFileAccess() {
    PurityRules.noFileAccess(MainClasses.PURE).check(MAIN);
  }

  @Test
  void pureCodeReadsNoWallClock() {
    PurityRules.noWallClock(MainClasses.PURE).check(MAIN);
  }

  @Test
  void pureCodeUsesNoRandomness() {
    PurityRules.noRandomness(MainClasses.PURE).check(MAIN);
  }

  @Test
  void pureCodeUsesNoThreads() {
    PurityRules.noThreads(MainClasses.PURE).check(MAIN);
  }

  @Test
  void pureCodeIteratesNoHashOrder() {
    PurityRules.noHashOrder(MainClasses.PURE).check(MAIN);
  }
}
