package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;

import io.veritydb.crypto.Blake3;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Encodes a batch of entries into one reused buffer: headers, (compressed) payloads, digests (in
 * parallel for big batches), the sequential chain step, and CRCs. The last record of the batch
 * carries {@link RecordDescriptor#FLAG_BATCH_END}. Writer thread only.
 */
final class Appender {
  private static final LZ4Compressor LZ4 = LZ4Factory.fastestJavaInstance().fastCompressor();
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

  /** The encoded records of one batch: record i is [offset(i), offset(i + 1)) of buffer(). */
  static final class Batch {
    private final Appender owner;
    private final int count;

    private Batch(Appender owner, int count) {
      this.owner = owner;
      this.count = count;
    }

    int count() {
      return count;
    }

    byte[] buffer() {
      return owner.buffer;
    }

    int offset(int i) {
      return i == count ? owner.end : owner.starts[i];
    }

    int length(int i) {
      return offset(i + 1) - offset(i);
    }

    /** Encoded bytes of the whole batch. */
    int totalLength() {
      return owner.end;
    }
  }

  private final LogOptions options;
  private final Digester digester;
  private final CRC32C crc = new CRC32C();
  private final Blake3 blake3 = new Blake3();
  private final byte[] pair = new byte[2 * ChainHash.LENGTH];
  private final byte[] committedChain;
  private final byte[] pendingChain = new byte[ChainHash.LENGTH];
  private byte[] buffer = new byte[64 << 10];
  private byte[][] compressed = new byte[256][];
  private int[] starts = new int[256];
  private int[] lengths = new int[256];
  private byte[] digests = new byte[256 * Blake3.LENGTH];
  private int end;

  Appender(LogOptions options, Digester digester, ChainHash chain) {
    this.options = options;
    this.digester = digester;
    this.committedChain = chain.toBytes();
  }

  /** Encodes {@code entries} at positions from {@code first}; the chain is pending until commit. */
  Batch encode(List<LogEntry> entries, long first) {
    int count = entries.size();
    grow(count);
    long total = 0;
    for (int i = 0; i < count; i++) {
      LogEntry e = Checks.checkNotNull(entries.get(i), "entry");
      int length = e.payloadLength();
      if (length > options.maxPayload()) {
        throw new BadRequestException(
            "payload of " + length + " bytes exceeds the maximum " + options.maxPayload());
      }
      total += RecordCodec.totalLength(length);
    }
    if (total > options.maxBatchBytes()) {
      throw new BadRequestException(
          "batch of "
              + total
              + " bytes exceeds the maximum of "
              + options.maxBatchBytes()
              + " encoded bytes");
    }
    Arrays.fill(compressed, 0, count, null);
    int threshold = options.compressionThreshold();
    digester.parallelFor(count, (from, to) -> compress(entries, from, to, threshold));
    ensure((int) total);
    end = 0;
    for (int i = 0; i < count; i++) {
      LogEntry e = entries.get(i);
      byte[] payload = e.payloadArray();
      byte[] packed = compressed[i];
      int stored = packed == null ? payload.length : packed.length;
      int flags = packed == null ? e.flags() : e.flags() | RecordDescriptor.FLAG_COMPRESSED;
      if (i == count - 1) {
        flags |= RecordDescriptor.FLAG_BATCH_END;
      }
      RecordCodec.writeHeader(
          buffer,
          end,
          stored,
          payload.length,
          first + i,
          e.kind(),
          flags,
          e.tenant().value(),
          e.timestampMicros());
      System.arraycopy(packed == null ? payload : packed, 0, buffer, end + HEADER_LENGTH, stored);
      starts[i] = end;
      lengths[i] = stored;
      end += RecordCodec.totalLength(stored);
    }
    digester.digest(buffer, starts, lengths, count, digests);
    System.arraycopy(committedChain, 0, pendingChain, 0, ChainHash.LENGTH);
    for (int i = 0; i < count; i++) {
      System.arraycopy(
          pendingChain, 0, buffer, starts[i] + RecordDescriptor.PREVIOUS_CHAIN_OFFSET, 32);
      RecordCodec.writeCrc(crc, buffer, starts[i], lengths[i]);
      System.arraycopy(pendingChain, 0, pair, 0, ChainHash.LENGTH);
      System.arraycopy(digests, i * Blake3.LENGTH, pair, ChainHash.LENGTH, Blake3.LENGTH);
      blake3.hash(pair, 0, pair.length, pendingChain, 0);
    }
    return new Batch(this, count);
  }

  /** The last encoded batch is durable: its chain becomes the log's chain. */
  void commit() {
    System.arraycopy(pendingChain, 0, committedChain, 0, ChainHash.LENGTH);
  }

  ChainHash chain() {
    return ChainHash.of(committedChain);
  }

  /**
   * LZ4 for entries [from, to) at or above the threshold and not encrypted, kept only when strictly
   * smaller.
   */
  private void compress(List<LogEntry> entries, int from, int to, int threshold) {
    for (int i = from; i < to; i++) {
      LogEntry entry = entries.get(i);
      byte[] payload = entry.payloadArray();
      if (payload.length < threshold || (entry.flags() & RecordDescriptor.FLAG_ENCRYPTED) != 0) {
        continue; // ciphertext does not compress: do not spend the attempt
      }
      int max = LZ4.maxCompressedLength(payload.length);
      byte[] scratch = SCRATCH.get();
      if (scratch.length < max) {
        scratch = new byte[max];
        SCRATCH.set(scratch);
      }
      int n = LZ4.compress(payload, 0, payload.length, scratch, 0, max);
      if (n < payload.length) {
        compressed[i] = Arrays.copyOf(scratch, n);
      }
    }
  }

  private void grow(int count) {
    if (starts.length < count) {
      int n = Math.max(count, starts.length * 2);
      compressed = Arrays.copyOf(compressed, n);
      starts = Arrays.copyOf(starts, n);
      lengths = Arrays.copyOf(lengths, n);
      digests = Arrays.copyOf(digests, n * Blake3.LENGTH);
    }
  }

  private void ensure(int bytes) {
    if (buffer.length < bytes) {
      buffer =
          Arrays.copyOf(
              buffer, Math.max(bytes, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buffer.length)));
    }
  }
}
