package io.veritydb.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import java.util.Set;

/** Predicates on what a piece of code calls, reads or refers to by method reference. */
final class Accesses {
  private Accesses() {}

  /**
   * An access (call, field read or method reference) to a member named one of {@code names} of the
   * class {@code owner} exactly.
   */
  static DescribedPredicate<JavaAccess<?>> to(Class<?> owner, String... names) {
    Set<String> wanted = Set.of(names);
    return DescribedPredicate.describe(
        owner.getSimpleName() + "." + String.join("/", names),
        access ->
            access.getTargetOwner().isEquivalentTo(owner)
                && wanted.contains(access.getTarget().getName()));
  }

  /**
   * An access to a member named one of {@code names} of any class in package {@code pkg} or a
   * package under it.
   */
  static DescribedPredicate<JavaAccess<?>> toPackage(String pkg, String... names) {
    Set<String> wanted = Set.of(names);
    return DescribedPredicate.describe(
        pkg + "..*." + String.join("/", names),
        access -> inPackage(access, pkg) && wanted.contains(access.getTarget().getName()));
  }

  /**
   * An access to a member whose name starts with {@code prefix} of any class in package {@code pkg}
   * or a package under it.
   */
  static DescribedPredicate<JavaAccess<?>> toPrefix(String pkg, String prefix) {
    return DescribedPredicate.describe(
        pkg + "..*." + prefix + "*",
        access -> inPackage(access, pkg) && access.getTarget().getName().startsWith(prefix));
  }

  private static boolean inPackage(JavaAccess<?> access, String pkg) {
    String p = access.getTargetOwner().getPackageName();
    return p.equals(pkg) || p.startsWith(pkg + ".");
  }
}
