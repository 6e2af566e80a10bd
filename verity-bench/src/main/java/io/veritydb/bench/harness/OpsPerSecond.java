package io.veritydb.bench.harness;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The measure most benchmarks report: throughput in operations per second. JMH reads these
 * annotations from the superclass of a benchmark; a benchmark's own annotations take precedence.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class OpsPerSecond {}
