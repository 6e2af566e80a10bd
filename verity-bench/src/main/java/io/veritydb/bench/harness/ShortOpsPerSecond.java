package io.veritydb.bench.harness;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link OpsPerSecond} in a short run of its own: one fork, two warmup and three measured
 * iterations of two seconds each (what the micro-benchmarks of one primitive need).
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public abstract class ShortOpsPerSecond extends OpsPerSecond {}
