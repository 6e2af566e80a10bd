package io.veritydb.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Timer;
import java.util.TimerTask;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.random.RandomGenerator;

/**
 * The rules that keep the functional core pure: the kernel, the query layer and the replication
 * protocol are functions of their inputs (commands, a store view, the time passed in), so the same
 * log gives the same state and replies on every replica, on every run and in the simulator. Each
 * rule takes the packages it guards, so the real check ({@link MainClasses#PURE}) and the planted
 * violations run the same rule. Every rule allows an empty selection: io.veritydb.vsr has no
 * classes yet ({@code PurityArchitectureTest} checks that the kernel and query classes are there).
 */
final class PurityRules {
  private PurityRules() {}

  private static final PackageMatchers FILE_PACKAGES =
      PackageMatchers.of("java.nio.file..", "java.nio.channels..", "io.veritydb.io..");

  /**
   * VerityDB classes whose own code touches files (the paged store, the log, key files): a pure
   * class may use the store through its interfaces ({@code StoreReader}, {@code WriteBatch}), not
   * through the classes that own the file.
   */
  static final DescribedPredicate<JavaClass> FILE_BACKED =
      DescribedPredicate.describe(
          "are VerityDB classes doing file I/O themselves",
          c ->
              c.getPackageName().startsWith("io.veritydb.")
                  && c.getDirectDependenciesFromSelf().stream()
                      .map(Dependency::getTargetClass)
                      .anyMatch(t -> FILE_PACKAGES.test(t.getPackageName())));

  /** No file, socket, log or FileIo access: data comes in through the store view handed in. */
  static ArchRule noFileAccess(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..",
            "java.nio.file..",
            "java.nio.channels..",
            "java.net..",
            "io.veritydb.io..",
            "io.veritydb.storage..")
        .orShould()
        .dependOnClassesThat(FILE_BACKED)
        .because(
            "pure code reads only the store view and the command it is handed; a file, a socket,"
                + " the log (io.veritydb.storage) or the FileIo seam (io.veritydb.io) would make"
                + " its result depend on what is on this machine's disk or network, and the"
                + " simulator could not replay it")
        .allowEmptyShould(true);
  }

  /** No wall clock: the time of a command is stamped by the shell and passed in. */
  static ArchRule noWallClock(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .accessTargetWhere(Accesses.to(System.class, "currentTimeMillis", "nanoTime"))
        .orShould()
        .accessTargetWhere(Accesses.toPackage("java.time", "now"))
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Clock.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(InstantSource.class)
        .because(
            "pure code takes time as a parameter (the group commit stamps each batch with the"
                + " injected clock and the stamp is in the log); reading a clock here would give a"
                + " replay, another replica or the simulator a different answer")
        .allowEmptyShould(true);
  }

  /** No randomness: anything random is drawn by the shell from an injected source. */
  static ArchRule noRandomness(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .areAssignableTo(RandomGenerator.class)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.random..")
        .orShould()
        .accessTargetWhere(Accesses.to(Math.class, "random"))
        .orShould()
        .accessTargetWhere(Accesses.to(StrictMath.class, "random"))
        .orShould()
        .accessTargetWhere(Accesses.to(UUID.class, "randomUUID"))
        .orShould()
        .accessTargetWhere(Accesses.to(Collections.class, "shuffle"))
        .because(
            "the same log must give the same state on every replay and replica; Random,"
                + " SecureRandom, ThreadLocalRandom, SplittableRandom, Math.random,"
                + " UUID.randomUUID and Collections.shuffle differ from run to run")
        .allowEmptyShould(true);
  }

  /** No threads or concurrency utilities: the kernel runs on the one thread that steps it. */
  static ArchRule noThreads(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.util.concurrent..")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(ThreadGroup.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(ThreadLocal.class)
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(Timer.class, TimerTask.class)
        .orShould()
        .accessTargetWhere(Accesses.toPrefix("java.util", "parallel"))
        .because(
            "the kernel is stepped on one thread (the kernel thread, or the simulator's loop) and"
                + " the query layer runs on whichever thread calls it; a thread, executor,"
                + " parallel stream, atomic or lock (java.util.concurrent) inside them would make"
                + " the order of effects depend on scheduling, which the simulator cannot"
                + " control")
        .allowEmptyShould(true);
  }

  /** No hash-ordered collections: their iteration order is not a function of the contents. */
  static ArchRule noHashOrder(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(
            HashMap.class,
            HashSet.class,
            IdentityHashMap.class,
            WeakHashMap.class,
            java.util.Hashtable.class)
        .because(
            "iterating a HashMap or HashSet (or an identity or weak hash map) visits entries in"
                + " an order set by hash codes and capacity, which may differ between JDKs and"
                + " runs; use LinkedHashMap, TreeMap or a sorted list so replies and writes come"
                + " out in the same order on every replica")
        .allowEmptyShould(true);
  }
}
