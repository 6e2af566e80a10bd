package io.veritydb.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import io.veritydb.api.AuditEntry;
import io.veritydb.api.ExecuteResult;
import io.veritydb.api.ProvenRows;
import io.veritydb.api.RowVersion;
import io.veritydb.api.VerificationReport;

/**
 * The layering inside verity-api: the public package io.veritydb.api is a facade over the runtime
 * in io.veritydb.api.internal, so it may use the runtime, and the runtime uses of the public
 * package only the plain result records it returns.
 */
final class ApiRules {
  private ApiRules() {}

  /** The public records the runtime builds and returns as they are. */
  static final Class<?>[] RESULT_RECORDS = {
    ExecuteResult.class,
    AuditEntry.class,
    RowVersion.class,
    VerificationReport.class,
    ProvenRows.class
  };

  /** The runtime packages use, of io.veritydb.api, only {@link #RESULT_RECORDS}. */
  static ArchRule runtimeUsesOnlyResultRecords(String... runtimePackages) {
    return noClasses()
        .that()
        .resideInAnyPackage(runtimePackages)
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.veritydb.api")
                .and(not(belongToAnyOf(RESULT_RECORDS)))
                .as("are in io.veritydb.api but are not its result records"))
        .because(
            "io.veritydb.api is the facade over the runtime (Verity, TenantHandle, Rows): a"
                + " runtime class that uses it climbs back up into the layer that calls it, so the"
                + " two cannot be read or changed apart; the runtime returns the plain result"
                + " records (ExecuteResult, AuditEntry, RowVersion, VerificationReport,"
                + " ProvenRows) and the facade wraps the rest");
  }
}
