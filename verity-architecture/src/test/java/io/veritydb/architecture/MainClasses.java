package io.veritydb.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The main classes of every VerityDB module, imported once for all architecture tests. Test classes
 * (every module's, and this module's planted violations) are left out.
 */
final class MainClasses {
  private MainClasses() {}

  /** The packages that must stay pure: the deterministic kernel, the query layer, the protocol. */
  static final String[] PURE = {"io.veritydb.kernel..", "io.veritydb.query..", "io.veritydb.vsr.."};

  /** Every package of VerityDB. */
  static final String ALL = "io.veritydb..";

  private static final class Holder {
    static final JavaClasses CLASSES =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.veritydb");
  }

  static JavaClasses get() {
    return Holder.CLASSES;
  }
}
