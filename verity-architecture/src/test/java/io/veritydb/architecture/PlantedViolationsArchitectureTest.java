package io.veritydb.architecture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.veritydb.architecture.planted.PlantedApiRuntime;
import io.veritydb.architecture.planted.PlantedClocks;
import io.veritydb.architecture.planted.PlantedFileAccess;
import io.veritydb.architecture.planted.PlantedFileIoChoice;
import io.veritydb.architecture.planted.PlantedHashOrder;
import io.veritydb.architecture.planted.PlantedPure;
import io.veritydb.architecture.planted.PlantedRandomness;
import io.veritydb.architecture.planted.PlantedThreads;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every architecture rule fires on a class planted to break it (and accepts the clean planted
 * classes): the same rule methods as the real checks, pointed at the planted package.
 */
class PlantedViolationsArchitectureTest {
  private static final String PLANTED = "io.veritydb.architecture.planted..";

  @Test
  void noFileAccessFiresOnFilesFileIoLogAndPagedStore() {
    ArchRule rule = PurityRules.noFileAccess(PLANTED);
    assertFires(rule, PlantedFileAccess.ReadsFile.class);
    assertFires(rule, PlantedFileAccess.UsesFileIo.class);
    assertFires(rule, PlantedFileAccess.UsesLog.class);
    assertFires(rule, PlantedFileAccess.UsesPagedStore.class);
    assertHolds(rule, PlantedPure.class);
  }

  @Test
  void noWallClockFiresOnEveryWayToReadTheTime() {
    ArchRule rule = PurityRules.noWallClock(PLANTED);
    assertFires(rule, PlantedClocks.NanoTime.class);
    assertFires(rule, PlantedClocks.MillisReference.class);
    assertFires(rule, PlantedClocks.InstantNow.class);
    assertFires(rule, PlantedClocks.LocalDateTimeNow.class);
    assertFires(rule, PlantedClocks.UsesClock.class);
    assertFires(rule, PlantedClocks.UsesInstantSource.class);
    assertHolds(rule, PlantedPure.class);
  }

  @Test
  void noRandomnessFiresOnEveryRandomSource() {
    ArchRule rule = PurityRules.noRandomness(PLANTED);
    assertFires(rule, PlantedRandomness.NewRandom.class);
    assertFires(rule, PlantedRandomness.UsesSecureRandom.class);
    assertFires(rule, PlantedRandomness.UsesThreadLocalRandom.class);
    assertFires(rule, PlantedRandomness.UsesSplittableRandom.class);
    assertFires(rule, PlantedRandomness.MathRandom.class);
    assertFires(rule, PlantedRandomness.RandomUuid.class);
    assertFires(rule, PlantedRandomness.Shuffles.class);
    assertHolds(rule, PlantedPure.class);
  }

  @Test
  void noThreadsFiresOnThreadsExecutorsAtomicsLocksAndParallelStreams() {
    ArchRule rule = PurityRules.noThreads(PLANTED);
    assertFires(rule, PlantedThreads.UsesConcurrentHashMap.class);
    assertFires(rule, PlantedThreads.UsesAtomic.class);
    assertFires(rule, PlantedThreads.UsesLock.class);
    assertFires(rule, PlantedThreads.StartsThread.class);
    assertFires(rule, PlantedThreads.UsesExecutor.class);
    assertFires(rule, PlantedThreads.ParallelStream.class);
    assertFires(rule, PlantedThreads.UsesThreadLocal.class);
    assertHolds(rule, PlantedPure.class);
  }

  @Test
  void noHashOrderFiresOnHashMapAndHashSet() {
    ArchRule rule = PurityRules.noHashOrder(PLANTED);
    assertFires(rule, PlantedHashOrder.UsesHashMap.class);
    assertFires(rule, PlantedHashOrder.UsesHashSet.class);
    assertHolds(rule, PlantedPure.class);
  }

  @Test
  void purityRulesAcceptAPackageWithNoClasses() {
    // io.veritydb.vsr is one of the pure packages and has no classes yet.
    List<Function<String[], ArchRule>> rules =
        List.of(
            PurityRules::noFileAccess,
            PurityRules::noWallClock,
            PurityRules::noRandomness,
            PurityRules::noThreads,
            PurityRules::noHashOrder);
    JavaClasses none = importOnly(PlantedPure.class);
    for (Function<String[], ArchRule> rule : rules) {
      rule.apply(new String[] {"io.veritydb.vsr.."}).check(none);
    }
  }

  @Test
  void noDispatchOnFileIoFiresOnInstanceofAndClassLiterals() {
    ArchRule rule = FileIoRules.noDispatchOnFileIo(PLANTED);
    assertFires(rule, PlantedFileIoChoice.InstanceofNio.class);
    assertFires(rule, PlantedFileIoChoice.InstanceofWrapper.class);
    assertFires(rule, PlantedFileIoChoice.ComparesClass.class);
    assertHolds(rule, PlantedFileIoChoice.UsesGivenFileIo.class);
  }

  @Test
  void simFileIoOnlyInSimulationFiresOnAProductionUse() {
    ArchRule rule = FileIoRules.simFileIoOnlyInSimulation(PLANTED);
    assertFires(rule, PlantedFileIoChoice.UsesSimFileIo.class);
    assertHolds(rule, PlantedFileIoChoice.UsesGivenFileIo.class);
  }

  @Test
  void nioFileIoOnlyWhereDefaultChosenFiresOnAnUnlistedRead() {
    ArchRule rule = FileIoRules.nioFileIoOnlyWhereDefaultChosen(PLANTED);
    assertFires(rule, PlantedFileIoChoice.ReadsNioInstance.class);
    assertHolds(rule, PlantedFileIoChoice.UsesGivenFileIo.class);
  }

  @Test
  void runtimeUsesOnlyResultRecordsFiresOnAFacadeClass() {
    ArchRule rule = ApiRules.runtimeUsesOnlyResultRecords(PLANTED);
    assertFires(rule, PlantedApiRuntime.UsesRows.class);
    assertHolds(rule, PlantedApiRuntime.BuildsResult.class);
  }

  private static JavaClasses importOnly(Class<?> planted) {
    return new ClassFileImporter().importClasses(planted);
  }

  private static void assertFires(ArchRule rule, Class<?> planted) {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> rule.check(importOnly(planted)),
            () -> "the rule accepted " + planted.getName() + ": " + rule.getDescription());
    assertTrue(
        e.getMessage().contains(planted.getName()),
        () -> "the violation names another class than " + planted.getName() + ":\n" + e);
  }

  private static void assertHolds(ArchRule rule, Class<?> clean) {
    rule.check(importOnly(clean));
  }
}
