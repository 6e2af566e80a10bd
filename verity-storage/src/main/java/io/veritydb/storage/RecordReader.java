package io.veritydb.storage;

import static io.veritydb.storage.RecordDescriptor.FLAGS_OFFSET;
import static io.veritydb.storage.RecordDescriptor.FLAG_COMPRESSED;
import static io.veritydb.storage.RecordDescriptor.HEADER_LENGTH;
import static io.veritydb.storage.RecordDescriptor.UNCOMPRESSED_LENGTH_OFFSET;

import io.veritydb.types.CorruptionException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** Decodes a record from bytes read from a segment, checking it first. One per thread. */
final class RecordReader {
  private static final LZ4SafeDecompressor LZ4 =
      LZ4Factory.fastestJavaInstance().safeDecompressor();

  private final int maxPayload;
  private final CRC32C crc = new CRC32C();

  RecordReader(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /**
   * Decodes the record at {@code at} of {@code b} ({@code available} bytes from there), which the
   * index says is {@code position} at {@code fileOffset} of {@code segment}. The returned record
   * owns a copy of its bytes, except when {@code owned} (then {@code b} itself is kept, at = 0).
   */
  LogRecord decode(
      byte[] b,
      int at,
      int available,
      long position,
      Segment segment,
      long fileOffset,
      boolean owned) {
    if (available < HEADER_LENGTH) {
      throw corrupt(segment, fileOffset, position, "record shorter than its header");
    }
    String reason = RecordCodec.checkHeader(b, at, maxPayload);
    if (reason != null) {
      throw corrupt(segment, fileOffset, position, reason);
    }
    if (RecordCodec.position(b, at) != position) {
      throw corrupt(
          segment, fileOffset, position, "record has position " + RecordCodec.position(b, at));
    }
    int stored = RecordCodec.storedLength(b, at);
    if (RecordCodec.totalLength(stored) > available) {
      throw corrupt(segment, fileOffset, position, "record longer than its index entry");
    }
    if (!RecordCodec.crcMatches(crc, b, at, stored)) {
      throw corrupt(segment, fileOffset, position, "CRC32C mismatch");
    }
    byte[] bytes = owned && at == 0 ? b : Arrays.copyOfRange(b, at, at + HEADER_LENGTH + stored);
    byte[] uncompressed = null;
    if ((RecordCodec.getInt(bytes, FLAGS_OFFSET) & FLAG_COMPRESSED) != 0) {
      int length = RecordCodec.getInt(bytes, UNCOMPRESSED_LENGTH_OFFSET);
      uncompressed = new byte[length];
      try {
        int n = LZ4.decompress(bytes, HEADER_LENGTH, stored, uncompressed, 0, length);
        if (n != length) {
          throw corrupt(
              segment, fileOffset, position, "decompressed " + n + " bytes, expected " + length);
        }
      } catch (LZ4Exception e) {
        throw corrupt(segment, fileOffset, position, "LZ4 payload does not decompress: " + e);
      }
    }
    return new LogRecord(bytes, stored, uncompressed);
  }

  static CorruptionException corrupt(Segment segment, long offset, long position, String reason) {
    return new CorruptionException(
        "corruption in log segment "
            + segment.path()
            + " at byte offset "
            + offset
            + " (log position "
            + position
            + "): "
            + reason);
  }
}
