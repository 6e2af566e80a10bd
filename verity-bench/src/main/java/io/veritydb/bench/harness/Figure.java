package io.veritydb.bench.harness;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One measured figure, printed as {@code engine=<e> workload=<w> value=<v> unit=<u>}. */
public record Figure(String engine, String workload, double value, String unit) {
  /** The shape of one output line; the smoke test and the parent process both check it. */
  public static final Pattern LINE =
      Pattern.compile("engine=([a-z0-9]+) workload=([A-Za-z0-9_-]+) value=([0-9.]+) unit=(\\S+)");

  public Figure {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(unit, "unit");
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          "figure " + engine + "/" + workload + " has value " + value + "; expected >= 0");
    }
  }

  /** The output line; values keep 2 decimals below 1000 and none above. */
  public String toLine() {
    String v =
        value >= 1000
            ? String.format(Locale.ROOT, "%.0f", value)
            : String.format(Locale.ROOT, "%.2f", value);
    return "engine=" + engine + " workload=" + workload + " value=" + v + " unit=" + unit;
  }

  /** Parses a line printed by {@link #toLine}, or returns null when it is not one. */
  public static Figure parse(String line) {
    Matcher m = LINE.matcher(line.trim());
    if (!m.matches()) {
      return null;
    }
    return new Figure(m.group(1), m.group(2), Double.parseDouble(m.group(3)), m.group(4));
  }
}
