package io.veritydb.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import io.veritydb.io.NioFileIo;
import org.junit.jupiter.api.Test;

/** No main class decides behaviour by which FileIo it was given, or picks the disk itself. */
class FileIoArchitectureTest {
  private static final JavaClasses MAIN = MainClasses.get();

  @Test
  void noClassTestsWhichFileIoItWasGiven() {
    FileIoRules.noDispatchOnFileIo(MainClasses.ALL).check(MAIN);
  }

  @Test
  void onlyTheSimulatorUsesSimFileIo() {
    FileIoRules.simFileIoOnlyInSimulation(MainClasses.ALL).check(MAIN);
  }

  @Test
  void onlyDefaultChoosersReadNioFileIoInstance() {
    FileIoRules.nioFileIoOnlyWhereDefaultChosen(MainClasses.ALL).check(MAIN);
  }

  @Test
  void everyDefaultChooserReadsNioFileIoInstance() {
    // The list holds only classes that need it: one that stops reading the field leaves the list.
    for (String name : FileIoRules.DEFAULT_CHOOSERS) {
      assertTrue(
          MAIN.contain(name),
          name + " is in FileIoRules.DEFAULT_CHOOSERS but is no main class: take it off the list");
      boolean reads =
          MAIN.get(name).getFieldAccessesFromSelf().stream()
              .anyMatch(
                  a ->
                      a.getAccessType() == JavaFieldAccess.AccessType.GET
                          && a.getTargetOwner().isEquivalentTo(NioFileIo.class)
                          && a.getTarget().getName().equals("INSTANCE"));
      assertTrue(
          reads,
          name
              + " is in FileIoRules.DEFAULT_CHOOSERS but does not read NioFileIo.INSTANCE: take"
              + " it off the list");
    }
  }
}
