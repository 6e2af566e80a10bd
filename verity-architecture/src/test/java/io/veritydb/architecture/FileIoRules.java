package io.veritydb.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.ArchUnitException;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.domain.ReferencedClassObject;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.simdisk.SimFileIo;
import java.util.List;

/**
 * The rules that keep the FileIo seam honest: the database behaves the same whichever {@link
 * FileIo} it is given (the real disk, a wrapper of it, the simulator's disk), so the simulator
 * tests what production runs. Each rule takes the packages it checks ({@link MainClasses#ALL} for
 * the real check, the planted package for the planted violations).
 */
final class FileIoRules {
  private FileIoRules() {}

  /**
   * The only classes outside io.veritydb.io that may read {@code NioFileIo.INSTANCE}: where a
   * default disk is chosen for a caller that gave none. Everything else is handed a FileIo.
   */
  static final List<String> DEFAULT_CHOOSERS =
      List.of(
          // Verity.open's settings: the real disk unless the application passes its own FileIo.
          "io.veritydb.api.internal.EngineConfig$Builder",
          // acquire(dir): the lock on the real disk, for callers outside a running engine.
          "io.veritydb.api.internal.DirectoryLock",
          // Verity.verify(dir): checks a directory on the real disk, offline.
          "io.veritydb.api.internal.Verifier",
          // open(file), openOrCreate(file, random): key files on the real disk.
          "io.veritydb.crypto.FileKeyProvider");

  /** Benchmarks measure the real disk, so each chooses it. */
  static final String BENCHMARKS = "io.veritydb.bench..";

  private static final DescribedPredicate<JavaClass> CHOOSES_DEFAULT_DISK =
      DescribedPredicate.describe(
          "choose the default disk (" + String.join(", ", DEFAULT_CHOOSERS) + ", benchmarks)",
          c ->
              DEFAULT_CHOOSERS.contains(c.getName())
                  || PackageMatcher.of(BENCHMARKS).matches(c.getPackageName()));

  /** No {@code instanceof} test and no class literal of a FileIo type outside io.veritydb.io. */
  static ArchRule noDispatchOnFileIo(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .and()
        .resideOutsideOfPackage("io.veritydb.io..")
        .should(testWhichFileIoTheyHave())
        .because(
            "code that asks which FileIo it was given (io instanceof NioFileIo, io.getClass() =="
                + " SimFileIo.class) behaves differently under the simulator or a user's wrapper"
                + " of the disk than on the disk itself: a wrapped disk lost the directory lock"
                + " and the simulation key that way; pass the behaviour in as a setting instead");
  }

  /** SimFileIo only in the simulated disk module and the simulator. */
  static ArchRule simFileIoOnlyInSimulation(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .and()
        .resideOutsideOfPackages("io.veritydb.simdisk..", "io.veritydb.sim..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(SimFileIo.class)
        .because(
            "the simulated disk is built by the simulator and handed in as a FileIo; a"
                + " production class that names it has a code path only the simulator takes");
  }

  /** {@code NioFileIo.INSTANCE} only where a default disk is chosen. */
  static ArchRule nioFileIoOnlyWhereDefaultChosen(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .and()
        .resideOutsideOfPackage("io.veritydb.io..")
        .and(not(CHOOSES_DEFAULT_DISK))
        .should()
        .getField(NioFileIo.class, "INSTANCE")
        .because(
            "a class that reaches for the real disk itself bypasses the FileIo the engine was"
                + " opened with, so the simulator's faults and a user's wrapper never reach those"
                + " files; only the places that choose a default for a caller that gave none"
                + " (FileIoRules.DEFAULT_CHOOSERS, benchmarks) may read it");
  }

  /**
   * Whether {@code c} is a FileIo type. A class that the import reached only through an instanceof
   * test or a class literal comes without its supertypes, so the JVM is asked as well.
   */
  private static boolean isFileIo(JavaClass c) {
    if (c.isAssignableTo(FileIo.class)) {
      return true;
    }
    try {
      return FileIo.class.isAssignableFrom(c.reflect());
    } catch (ArchUnitException.ReflectionException notOnClassPath) {
      return false;
    }
  }

  /**
   * Holds for a class that tests which FileIo it has; each such test is a satisfied event, which
   * {@code noClasses().should(...)} turns into a violation.
   */
  private static ArchCondition<JavaClass> testWhichFileIoTheyHave() {
    return new ArchCondition<>(
        "test which FileIo they were given (instanceof or a class literal of a FileIo type)") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (JavaCodeUnit unit : c.getCodeUnits()) {
          for (InstanceofCheck check : unit.getInstanceofChecks()) {
            if (isFileIo(check.getRawType())) {
              events.add(
                  SimpleConditionEvent.satisfied(
                      check,
                      unit.getFullName()
                          + " tests instanceof "
                          + check.getRawType().getName()
                          + " in "
                          + check.getSourceCodeLocation()));
            }
          }
          for (ReferencedClassObject ref : unit.getReferencedClassObjects()) {
            if (isFileIo(ref.getValue())) {
              events.add(
                  SimpleConditionEvent.satisfied(
                      ref,
                      unit.getFullName()
                          + " refers to "
                          + ref.getValue().getName()
                          + ".class in "
                          + ref.getSourceCodeLocation()));
            }
          }
        }
      }
    };
  }
}
