package io.veritydb.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The workload writes the shapes users write and the engine handles in specific ways, and the runs
 * that write them pass (the engine did what the model predicted): each data violation rejected at
 * its position, by INSERT, batch and UPDATE; each refusal before the log; statements ended by
 * {@code ;}; predicates relying on precedence; audit trails compared.
 */
class WorkloadShapesTest {
  private static final long SEEDS = 12;

  private static final Pattern SUBMIT =
      Pattern.compile("^#(\\d+) (\\w+) \\w+ caller \\d+ tenant \\d+: (.*)$", Pattern.DOTALL);
  private static final Pattern REJECTED = Pattern.compile("^  op #(\\d+) rejected at \\d+: (.*)$");
  private static final Pattern ACKNOWLEDGED = Pattern.compile("^  op #(\\d+) acknowledged at ");

  @Test
  void shouldWriteEveryShapeAndPassWithIt() {
    Map<String, Integer> seen = new TreeMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimResult r = new Simulator(SimConfig.generate(seed, Vopr.DEFAULT_STEPS), Plant.NONE).run();
      System.out.println(r.summary());
      assertFalse(r.failed(), "seed " + seed + ": " + r.message());
      Map<String, String> kinds = new HashMap<>();
      Map<String, String> texts = new HashMap<>();
      for (String line : r.trace()) {
        Matcher m = SUBMIT.matcher(line);
        if (m.find()) {
          kinds.put(m.group(1), m.group(2));
          texts.put(m.group(1), m.group(3));
          if (m.group(3).contains(": refused: ")) {
            count(seen, refusal(m.group(3)));
          }
          if (m.group(3).matches("(UPDATE|DELETE).* WHERE .*\\b(AND|OR)\\b.*")
              && !m.group(3).contains("WHERE (")) {
            count(seen, "WHERE by precedence");
          }
          continue;
        }
        m = REJECTED.matcher(line);
        if (m.find()) {
          count(seen, kinds.get(m.group(1)) + " rejected: " + violation(m.group(2)));
          continue;
        }
        m = ACKNOWLEDGED.matcher(line);
        if (m.find() && texts.get(m.group(1)).matches("(?s).*;( --.*| /\\*.*)?\\s*$")) {
          count(seen, "ended by ; and run");
        }
        if (line.contains("audit entries as the model says")) {
          count(seen, "audit trail compared");
        }
        if (line.contains("(must be refused)") && line.contains("SELECT")) {
          count(seen, "query refused");
        }
      }
    }
    System.out.println(seen);
    List<String> missing = new ArrayList<>();
    for (String shape :
        List.of(
            "INSERT rejected: NULL in NOT NULL",
            "INSERT rejected: no value given",
            "INSERT rejected: too long",
            "INSERT rejected: out of range",
            "INSERT rejected: duplicate key",
            "INSERT_BATCH rejected: NULL in NOT NULL",
            "INSERT_BATCH rejected: out of range",
            "INSERT_BATCH rejected: duplicate key",
            "UPDATE rejected: NULL in NOT NULL",
            "UPDATE rejected: too long",
            "UPDATE rejected: out of range",
            "UPDATE rejected: duplicate key",
            "refused: one statement",
            "refused: not UTF-16",
            "query refused",
            "ended by ; and run",
            "WHERE by precedence",
            "audit trail compared")) {
      if (!seen.containsKey(shape)) {
        missing.add(shape);
      }
    }
    assertTrue(missing.isEmpty(), "shapes never written in seeds 1.." + SEEDS + ": " + missing);
  }

  private static void count(Map<String, Integer> seen, String shape) {
    seen.merge(shape, 1, Integer::sum);
  }

  private static String violation(String reason) {
    if (reason.endsWith("(no value given)")) {
      return "no value given";
    } else if (reason.startsWith("NULL in NOT NULL")) {
      return "NULL in NOT NULL";
    } else if (reason.startsWith("value too long")) {
      return "too long";
    } else if (reason.contains("out of range")) {
      return "out of range";
    } else if (reason.contains("precision") || reason.contains("digits after the point")) {
      return "DECIMAL";
    } else if (reason.startsWith("duplicate primary key")) {
      return "duplicate key";
    }
    return reason;
  }

  private static String refusal(String text) {
    if (text.contains(Workload.ONE_STATEMENT)) {
      return "refused: one statement";
    } else if (text.contains(Workload.NOT_UTF16)) {
      return "refused: not UTF-16";
    }
    return "refused: " + text;
  }
}
