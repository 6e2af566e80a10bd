package io.veritydb.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.bench.harness.Engines;
import io.veritydb.bench.harness.Figure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every workload for every engine at a tiny size in this JVM (W7 still forks its writer JVM)
 * so that the harness cannot rot. Nothing here is timed or compared: only the shape of the output.
 */
class BenchSmokeTest {
  private static final Set<String> PEER_WORKLOADS =
      Set.of(
          "W1-1thread",
          "W1-4threads",
          "W2",
          "W3",
          "W3-p50",
          "W3-p99",
          "W3-p999",
          "W4-noindex",
          "W4-index",
          "W5",
          "W5-disk");

  private static final Set<String> VERITY_ONLY =
      Set.of("W6-point-at", "W6-point-cost", "W6-ward-at", "W6-ward-cost", "W7", "W8");

  @Test
  void shouldPrintOneWellFormedLinePerFigureForEveryEngineAndWorkload(@TempDir Path tmp) {
    for (String engine : Engines.ALL) {
      List<Figure> figures = EngineRun.run(engine, BenchConfig.tiny(), tmp.resolve(engine));
      Set<String> seen = new LinkedHashSet<>();
      for (Figure f : figures) {
        String line = f.toLine();
        Figure back = Figure.parse(line);
        assertNotNull(back, "not a well-formed line: " + line);
        assertEquals(engine, back.engine(), line);
        assertTrue(seen.add(f.workload()), "workload printed twice: " + line);
      }
      Set<String> expected = new LinkedHashSet<>(PEER_WORKLOADS);
      if (engine.equals("verity")) {
        expected.addAll(VERITY_ONLY);
      }
      assertEquals(expected, seen, engine);
    }
  }

  @Test
  void shouldRunOneEngineAsAChildAndPrintOnlyFigureLines(@TempDir Path tmp) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code =
        BenchMain.run(
            out,
            System.err,
            "--child",
            "sqlite",
            "--size",
            "tiny",
            "--workloads",
            "W2,W3",
            "--dir",
            tmp.toString());
    assertEquals(0, code);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n", -1);
    assertEquals(5, lines.length, String.join("\n", lines));
    for (String line : lines) {
      assertTrue(Figure.LINE.matcher(line).matches(), line);
    }
  }

  @Test
  void shouldRunEachRoundInAChildJvmAndPrintOneMedianPerFigure(@TempDir Path tmp) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code =
        BenchMain.run(
            out,
            System.err,
            "--engine",
            "sqlite",
            "--size",
            "tiny",
            "--runs",
            "2",
            "--workloads",
            "W2",
            "--dir",
            tmp.toString());
    assertEquals(0, code);
    List<String> figures =
        bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
    assertEquals(1, figures.size(), String.join("\n", figures));
    Figure f = Figure.parse(figures.get(0));
    assertNotNull(f, figures.get(0));
    assertEquals("sqlite", f.engine());
    assertEquals("W2", f.workload());
  }

  @Test
  void shouldRejectUnknownEngineWorkloadAndOptionWithUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, BenchMain.run(out, errStream, "--engine", "oracle"));
    assertEquals(2, BenchMain.run(out, errStream, "--workloads", "W9"));
    assertEquals(2, BenchMain.run(out, errStream, "--frobnicate", "1"));
    assertEquals(2, BenchMain.run(out, errStream, "--runs"));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("unknown engine oracle"), text);
    assertTrue(text.contains("unknown workload W9"), text);
    assertTrue(text.contains("usage: bench"), text);
  }

  @Test
  void shouldWarmUpWithAtLeastTheWarmUpRowsAndTakeAWarmUpCount() {
    BenchConfig small = BenchMain.Options.parse("--warmups", "2").config;
    assertEquals(2, small.warmups());
    assertEquals(20_000, small.rows(), "the measured passes keep their size");
    assertEquals(BenchConfig.WARMUP_ROWS, small.forWarmup().rows());
    assertEquals(small.workloads(), small.forWarmup().workloads());
    BenchConfig large = BenchMain.Options.parse("--size", "large").config;
    assertEquals(large.rows(), large.forWarmup().rows(), "already larger than the warm-up rows");
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Options.parse("--warmups", "-1"));
  }

  @Test
  void shouldTimeW2OverAtLeastOneHundredThousandRowsInAtMostFiveLoads() {
    assertEquals(5, BenchConfig.small().loads(), "5 x 20,000 rows");
    assertEquals(1, BenchConfig.large().loads());
    assertEquals(5, BenchConfig.tiny().loads());
    assertEquals(2, BenchConfig.small().withRows(60_000).loads());
  }

  @Test
  void shouldTakeTheMedianOfTheRuns() {
    assertEquals(2.0, EngineRun.median(new double[] {3, 1, 2}));
    assertEquals(2.5, EngineRun.median(new double[] {4, 1, 2, 3}));
    assertEquals(7.0, EngineRun.median(new double[] {7}));
  }
}
