package io.veritydb.kernel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernel is a pure state machine: no I/O, clock, randomness, threads or hash-order iteration.
 */
class KernelArchitectureTest {
  private static final JavaClasses KERNEL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.veritydb.kernel");

  @Test
  void kernelDoesNoIo() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..", "java.net..")
        .check(KERNEL);
  }

  @Test
  void kernelReadsNoClock() {
    noClasses()
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Clock.class)
        .check(KERNEL);
  }

  @Test
  void kernelUsesNoRandomnessOrThreads() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .areAssignableTo(Random.class)
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(ThreadLocalRandom.class, SecureRandom.class, Thread.class)
        .check(KERNEL);
  }

  @Test
  void kernelNeverIteratesHashOrder() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(HashMap.class, HashSet.class)
        .check(KERNEL);
  }
}
