package io.veritydb.architecture;

import org.junit.jupiter.api.Test;

/** verity-api's runtime does not climb back into its public facade. */
class ApiArchitectureTest {
  @Test
  void runtimeUsesOnlyTheResultRecordsOfThePublicPackage() {
    ApiRules.runtimeUsesOnlyResultRecords("io.veritydb.api.internal..").check(MainClasses.get());
  }
}
