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
