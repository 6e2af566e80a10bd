package io.veritydb.query;

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
 * The query layer is pure: it reads a snapshot and returns values: no I/O, clock, randomness,
 * threads or hash-order iteration.
 */
class QueryArchitectureTest {
  private static final JavaClasses QUERY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.veritydb.query");

  @Test
  void queryDoesNoIo() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..", "java.net..")
        .check(QUERY);
  }

  @Test
  void queryReadsNoClock() {
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
        .check(QUERY);
  }

  @Test
  void queryUsesNoRandomnessOrThreads() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .areAssignableTo(Random.class)
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(ThreadLocalRandom.class, SecureRandom.class, Thread.class)
        .check(QUERY);
  }

  @Test
  void queryNeverIteratesHashOrder() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(HashMap.class, HashSet.class)
        .check(QUERY);
  }
}
