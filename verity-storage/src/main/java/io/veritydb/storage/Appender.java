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
 * parallel for big batches), the sequential chain step, and CRCs. Writer thread only.
 */
final class Appender {
  private static final LZ4Compressor LZ4 = LZ4Factory.fastestJavaInstance().fastCompressor();

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
  }

  private final LogOptions options;
  private final Digester digester;
  private final CRC32C crc = new CRC32C();
  private final Blake3 blake3 = new Blake3();
  private final byte[] pair = new byte[2 * ChainHash.LENGTH];
  private final byte[] committedChain;
  private final byte[] pendingChain = new byte[ChainHash.LENGTH];
  private byte[] buffer = new byte[64 << 10];
  private byte[] scratch = new byte[0];
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
    end = 0;
    for (int i = 0; i < count; i++) {
      LogEntry e = Checks.checkNotNull(entries.get(i), "entry");
      byte[] payload = e.payloadArray();
      if (payload.length > options.maxPayload()) {
        throw new BadRequestException(
            "payload of " + payload.length + " bytes exceeds the maximum " + options.maxPayload());
      }
      int flags = e.flags();
      int stored = payload.length;
      byte[] source = payload;
      if (payload.length >= options.compressionThreshold()) {
        int max = LZ4.maxCompressedLength(payload.length);
        if (scratch.length < max) {
          scratch = new byte[max];
        }
        int compressed = LZ4.compress(payload, 0, payload.length, scratch, 0, max);
        if (compressed < payload.length) {
          stored = compressed;
          source = scratch;
          flags |= RecordDescriptor.FLAG_COMPRESSED;
        }
      }
      int total = RecordCodec.totalLength(stored);
      if ((long) end + total > options.maxBatchBytes()) {
        throw new BadRequestException(
            "batch exceeds the maximum of " + options.maxBatchBytes() + " encoded bytes");
      }
      ensure(end + total);
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
      System.arraycopy(source, 0, buffer, end + HEADER_LENGTH, stored);
      starts[i] = end;
      lengths[i] = stored;
      end += total;
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

  private void grow(int count) {
    if (starts.length < count) {
      int n = Math.max(count, starts.length * 2);
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
