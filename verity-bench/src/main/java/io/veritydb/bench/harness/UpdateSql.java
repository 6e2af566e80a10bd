package io.veritydb.bench.harness;

/** The W5 statement, the same text for every engine. */
final class UpdateSql {
  private UpdateSql() {}

  /** {@code UPDATE patients SET balance = ? WHERE id IN (?, ?, ...)} with {@code n} ids. */
  static String inList(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("update needs at least one id, got " + n);
    }
    StringBuilder sb = new StringBuilder("UPDATE patients SET balance = ? WHERE id IN (?");
    for (int i = 1; i < n; i++) {
      sb.append(", ?");
    }
    return sb.append(')').toString();
  }
}
