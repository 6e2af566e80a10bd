package io.veritydb.storage;

import io.veritydb.io.FileHandle;
import io.veritydb.types.Checks;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file and its offset index: {@code offsets[i]} is the byte offset of the record at
 * position {@code firstPosition + i}, and {@code offsets[count]} the end of the last record. The
 * index is rebuilt by scanning the file at open and extended by the writer; readers see entries up
 * to the log's published last position (the writer fills an entry before publishing it).
 */
final class Segment {
  static final String SUFFIX = ".log";
  private static final int NAME_DIGITS = 20;

  private final Path path;
  private final long firstPosition;
  private final FileHandle handle;
  private volatile int[] offsets = new int[1024];
  private int count;

  /** Whether the file starts with a {@link SegmentDescriptor} header (zero-filled free space). */
  private boolean headed;

  /** Writer only: the file size as far as this process knows (preallocated bytes included). */
  private long allocated;

  private String preallocationFailure;

  Segment(Path path, long firstPosition, FileHandle handle) {
    Checks.checkArgument(firstPosition >= 1, "firstPosition", firstPosition);
    this.path = path;
    this.firstPosition = firstPosition;
    this.handle = handle;
  }

  static String fileName(long firstPosition) {
    return String.format("%0" + NAME_DIGITS + "d%s", firstPosition, SUFFIX);
  }

  /** The first position encoded in a segment file name, or -1 when it is not a segment name. */
  static long parseFileName(String name) {
    if (name.length() != NAME_DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < NAME_DIGITS; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  Path path() {
    return path;
  }

  long firstPosition() {
    return firstPosition;
  }

  FileHandle handle() {
    return handle;
  }

  /**
   * Before any record is indexed: records start at {@link SegmentDescriptor#LENGTH}, after the
   * segment header, and zeros after the last record are free space.
   */
  void startAfterHeader() {
    Checks.checkState(count == 0, "records indexed before the header", count);
    offsets[0] = SegmentDescriptor.LENGTH;
    headed = true;
  }

  /** Whether the segment has a header (format 2: zeros after the last record are free space). */
  boolean headed() {
    return headed;
  }

  /** Writer only: the file size as far as the writer knows. */
  long allocated() {
    return allocated;
  }

  /** Writer only: the file now has at least {@code size} bytes. */
  void allocated(long size) {
    allocated = Math.max(allocated, size);
  }

  /** Writer only: a zero write failed (disk full); the segment grows by appending from now on. */
  void stopPreallocating(String reason) {
    preallocationFailure = Checks.checkNotNull(reason, "reason");
  }

  /** Why preallocation stopped in this segment, or null. */
  String preallocationFailure() {
    return preallocationFailure;
  }

  /** Writer only: the file was cut to {@code size} bytes. */
  void truncated(long size) {
    allocated = size;
  }

  /** Records indexed (writer's view). */
  int count() {
    return count;
  }

  /** The position after the last indexed record (writer's view). */
  long nextPosition() {
    return firstPosition + count;
  }

  /** End of the last indexed record (writer's view). */
  long end() {
    return offsets[count];
  }

  /** Byte offset of {@code position}, which must be indexed and published. */
  long offsetOf(long position) {
    long i = position - firstPosition;
    Checks.checkArgument(i >= 0 && i < offsets.length - 1, "position", position);
    return offsets[(int) i];
  }

  /** End offset of the record at {@code position} (the start of the next). */
  long endOf(long position) {
    return offsets[(int) (position - firstPosition) + 1];
  }

  /** Writer only: records that the record at {@link #nextPosition()} ends at {@code end}. */
  void add(long end) {
    Checks.checkArgument(end > offsets[count] && end <= Integer.MAX_VALUE, "end", end);
    int[] current = offsets;
    if (count + 2 > current.length) {
      int[] grown = Arrays.copyOf(current, current.length * 2);
      grown[count + 1] = (int) end;
      offsets = grown;
    } else {
      current[count + 1] = (int) end;
    }
    count++;
  }

  /** Writer only: forgets records after the first {@code keep} (a failed append). */
  void truncateIndex(int keep) {
    Checks.checkArgument(keep >= 0 && keep <= count, "keep", keep, "count", count);
    count = keep;
  }

  void close() {
    handle.close();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
