package io.veritydb.bench.compare;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.bench.harness.Figure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All passes of one engine in this JVM: warm-ups (with more rows: {@link BenchConfig#forWarmup()})
 * thrown away, then the median of the runs.
 */
public final class EngineRun {
  private EngineRun() {}

  /** Runs {@code engine} under {@code work} (scratch space, emptied) and returns the medians. */
  public static List<Figure> run(String engine, BenchConfig cfg, Path work) {
    for (int i = 0; i < cfg.warmups(); i++) {
      Workloads.pass(engine, cfg.forWarmup(), Dirs.fresh(work.resolve("warmup")));
    }
    Map<String, List<Figure>> byWorkload = new LinkedHashMap<>();
    for (int i = 0; i < cfg.runs(); i++) {
      for (Figure f : Workloads.pass(engine, cfg, Dirs.fresh(work.resolve("run")))) {
        byWorkload.computeIfAbsent(f.workload(), k -> new ArrayList<>()).add(f);
      }
    }
    Dirs.delete(work);
    List<Figure> medians = new ArrayList<>();
    for (List<Figure> runs : byWorkload.values()) {
      double[] values = runs.stream().mapToDouble(Figure::value).toArray();
      Figure first = runs.get(0);
      medians.add(new Figure(engine, first.workload(), median(values), first.unit()));
    }
    return medians;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
