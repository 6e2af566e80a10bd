package io.veritydb.api;

import java.util.List;

/**
 * What {@link Verity#verify} found. {@link #ok()} only when every check held; otherwise {@link
 * #problems()} names each failure (the first is the first bad position, segment and reason).
 *
 * @param records log records checked
 * @param bytes log bytes checked
 * @param checkpoints signed checkpoints checked
 * @param checks what was checked, one line each
 * @param problems what failed, one line each; empty when all holds
 */
public record VerificationReport(
    long records, long bytes, int checkpoints, List<String> checks, List<String> problems) {
  public VerificationReport {
    checks = List.copyOf(checks);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
