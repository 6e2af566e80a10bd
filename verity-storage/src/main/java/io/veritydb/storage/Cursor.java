package io.veritydb.storage;

import io.veritydb.types.ClosedException;
import java.nio.ByteBuffer;

/**
 * {@link LogCursor} reading segments in large chunks. Sees records up to the log's published last
 * position at each {@link #next()}.
 */
final class Cursor implements LogCursor {
  private static final int CHUNK = 256 << 10;

  private final Log log;
  private final RecordReader reader;
  private byte[] buffer = new byte[CHUNK];
  private Segment segment;
  private long bufferStart;
  private int bufferLength;
  private long next;
  private LogRecord record;
  private boolean closed;

  Cursor(Log log, long from, int maxPayload) {
    this.log = log;
    this.next = from;
    this.reader = new RecordReader(maxPayload);
  }

  @Override
  public boolean next() {
    if (closed) {
      throw new ClosedException("log cursor is closed");
    }
    if (next > log.lastPosition().value()) {
      record = null;
      return false;
    }
    if (segment == null
        || next >= segment.firstPosition() + segment.count()
        || next < segment.firstPosition()) {
      segment = log.segmentOf(next);
      bufferLength = 0;
    }
    long offset = segment.offsetOf(next);
    int length = (int) (segment.endOf(next) - offset);
    if (offset < bufferStart || offset + length > bufferStart + bufferLength) {
      if (buffer.length < length) {
        buffer = new byte[length];
      }
      bufferStart = offset;
      bufferLength = segment.handle().read(ByteBuffer.wrap(buffer), offset);
    }
    int at = (int) (offset - bufferStart);
    record =
        reader.decode(
            buffer, at, Math.min(length, bufferLength - at), next, segment, offset, false);
    next++;
    return true;
  }

  @Override
  public LogRecord record() {
    if (record == null) {
      throw new IllegalStateException("no current record: call next() first and check it is true");
    }
    return record;
  }

  @Override
  public void close() {
    closed = true;
    record = null;
  }
}
