package io.veritydb.bench.storage;

import io.veritydb.bench.harness.Dirs;
import io.veritydb.bench.harness.ShortOpsPerSecond;
import io.veritydb.crypto.Blake3;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.LogOptions;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Appending batches with one fsync each, in batches (operations) per second; records/s = ops/s x
 * batch, MB/s = records/s x payload / 1e6. Four ways, in the same run:
 *
 * <ul>
 *   <li>{@code log}: {@link Log#append} (encode, LZ4 check, digests, chain, CRC, write, fsync);
 *   <li>{@code bareWriteForce}: a FileChannel write of the same number of bytes the log writes
 *       (payload + {@value RecordDescriptor#OVERHEAD} bytes per record) and force(false): the
 *       physical baseline;
 *   <li>{@code bareWriteForceBlake3PerRecord}: the same plus one BLAKE3 per record over its bytes
 *       (the limit the issue names: a hash-chained log must hash every record);
 *   <li>{@code bareWriteForceBlake3Whole}: the same plus one BLAKE3 over the whole batch buffer.
 * </ul>
 *
 * Payloads are random (incompressible), so the log stores them uncompressed after trying LZ4 on the
 * 1 KiB ones (threshold 1 KiB).
 */
@State(Scope.Thread)
public class LogAppendBenchmark extends ShortOpsPerSecond {
  @Param({"100", "1024"})
  public int payload;

  @Param({"1", "64", "1024"})
  public int batch;

  @Param({"2"})
  public int parallelism;

  private Path dir;
  private Log log;
  private List<LogEntry> entries;
  private FileChannel channel;
  private ByteBuffer bytes;
  private long channelOffset;
  private final Blake3 blake3 = new Blake3();
  private final byte[] digest = new byte[Blake3.LENGTH];

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    dir = Dirs.temporary("verity-append");
    log =
        Log.open(
            NioFileIo.INSTANCE,
            dir.resolve("log"),
            LogOptions.builder().parallelism(parallelism).build());
    SplittableRandom random = new SplittableRandom(42);
    entries = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      byte[] p = new byte[payload];
      random.nextBytes(p);
      entries.add(new LogEntry((byte) 16, TenantId.of(1), i, 0, p));
    }
    byte[] raw = new byte[batch * RecordDescriptor.recordLength(payload)];
    random.nextBytes(raw);
    bytes = ByteBuffer.wrap(raw);
    channel =
        FileChannel.open(
            dir.resolve("bare.dat"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    channelOffset = 0;
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    log.close();
    channel.close();
    Dirs.delete(dir);
  }

  @Benchmark
  public LogPosition log() {
    return log.append(entries);
  }

  @Benchmark
  public long bareWriteForce() {
    return writeAndForce();
  }

  @Benchmark
  public byte bareWriteForceBlake3PerRecord() {
    int length = RecordDescriptor.recordLength(payload);
    byte[] raw = bytes.array();
    for (int i = 0; i < batch; i++) {
      blake3.hash(raw, i * length, length, digest, 0);
    }
    writeAndForce();
    return digest[0];
  }

  @Benchmark
  public byte bareWriteForceBlake3Whole() {
    byte[] raw = bytes.array();
    blake3.hash(raw, 0, raw.length, digest, 0);
    writeAndForce();
    return digest[0];
  }

  private long writeAndForce() {
    try {
      bytes.clear();
      while (bytes.hasRemaining()) {
        channelOffset += channel.write(bytes, channelOffset);
      }
      channel.force(false);
      return channelOffset;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
