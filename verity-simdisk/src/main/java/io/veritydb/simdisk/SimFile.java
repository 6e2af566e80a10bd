package io.veritydb.simdisk;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One simulated file (an inode): its durable content (as of the last successful sync) and the
 * writes and truncations made since, in order. The volatile content is the durable content with the
 * pending operations applied. Not thread-safe: {@link SimFileIo} serialises access.
 */
final class SimFile {
  static final int SECTOR = 512;

  /** A write or (when {@code data == null}) a truncation not yet made durable. */
  private static final class Pending {
    final long offset;
    final byte[] data;

    Pending(long offset, byte[] data) {
      this.offset = offset;
      this.data = data;
    }
  }

  private final Content durable = new Content();
  private final Content current = new Content();
  private final List<Pending> pending = new ArrayList<>();
  private boolean ownerOnly;

  /** Whether only its owner may read and write it (a key file). */
  boolean ownerOnly() {
    return ownerOnly;
  }

  void ownerOnly(boolean ownerOnly) {
    this.ownerOnly = ownerOnly;
  }

  long size() {
    return current.size;
  }

  long durableSize() {
    return durable.size;
  }

  int read(byte[] target, int targetOffset, int length, long offset) {
    return current.read(target, targetOffset, length, offset);
  }

  void write(long offset, byte[] data) {
    pending.add(new Pending(offset, data));
    current.write(offset, data, 0, data.length);
  }

  void truncate(long size) {
    if (size < current.size) {
      pending.add(new Pending(size, null));
      current.truncate(size);
    }
  }

  /** Makes every pending operation durable. */
  void sync() {
    for (Pending p : pending) {
      apply(durable, p, p.data == null ? 0 : p.data.length);
    }
    pending.clear();
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /**
   * Simulates a power loss: the file falls back to its durable content, plus what {@code mode}
   * keeps of the pending operations ({@link SimFileIo.CrashMode#LOSE_UNSYNCED}: nothing; {@link
   * SimFileIo.CrashMode#TORN}: a random prefix in order, the last one possibly cut at a sector
   * boundary; {@link SimFileIo.CrashMode#SCATTERED}: each sector of each pending write
   * independently, each truncation all or nothing, in order). {@link
   * SimFileIo.CrashMode#KEEP_UNSYNCED} is {@link #keepAll()}, not a crash of the file.
   */
  void crash(SimFileIo.CrashMode mode, Random random) {
    if (mode == SimFileIo.CrashMode.TORN && !pending.isEmpty()) {
      int keep = random.nextInt(pending.size() + 1);
      for (int i = 0; i < keep; i++) {
        Pending p = pending.get(i);
        apply(durable, p, p.data == null ? 0 : p.data.length);
      }
      if (keep < pending.size() && pending.get(keep).data != null) {
        Pending torn = pending.get(keep);
        int kept = tornLength(torn.offset, torn.data.length, random);
        if (kept > 0) {
          apply(durable, torn, kept);
        }
      }
    } else if (mode == SimFileIo.CrashMode.SCATTERED && !pending.isEmpty()) {
      scatter(random);
    } else {
      Checks.checkArgument(
          mode == SimFileIo.CrashMode.LOSE_UNSYNCED || pending.isEmpty(),
          "a file does not crash in mode " + mode);
    }
    pending.clear();
    current.copyFrom(durable);
  }

  /**
   * A disk with a volatile write cache that lost power: every piece of a pending write that falls
   * in one 512-byte sector of the file reaches the platter or not, independently of the others
   * (with one probability per crash, drawn at random, so that some crashes keep almost everything
   * and others almost nothing); a truncation happens all or nothing. What survives is applied in
   * the order it was issued.
   */
  private void scatter(Random random) {
    double survive = random.nextDouble();
    for (Pending p : pending) {
      if (p.data == null) {
        if (random.nextDouble() < survive) {
          durable.truncate(p.offset);
        }
        continue;
      }
      long end = p.offset + p.data.length;
      for (long from = p.offset; from < end; ) {
        long to = Math.min(end, (from / SECTOR + 1) * SECTOR);
        if (random.nextDouble() < survive) {
          durable.write(from, p.data, (int) (from - p.offset), (int) (to - from));
        }
        from = to;
      }
    }
  }

  /**
   * A random length of a torn write of {@code length} bytes at {@code offset}: 0 or the distance to
   * one of the sector boundaries strictly inside the write, chosen uniformly; always less than
   * {@code length}.
   */
  static int tornLength(long offset, int length, Random random) {
    long end = offset + length;
    long firstBoundary = (offset / SECTOR + 1) * SECTOR;
    int boundaries = firstBoundary >= end ? 0 : (int) ((end - 1 - firstBoundary) / SECTOR + 1);
    int choice = random.nextInt(boundaries + 1);
    return choice == 0 ? 0 : (int) (firstBoundary + (long) SECTOR * (choice - 1) - offset);
  }

  /** Keeps everything written (a process crash: the operating system still has the data). */
  void keepAll() {
    sync();
  }

  /** Flips one bit in the stored bytes (durable and volatile) when the offset is inside them. */
  boolean flipBit(long offset, int bit) {
    Checks.checkArgument(bit >= 0 && bit < 8, "bit", bit);
    boolean flipped = false;
    if (offset < durable.size) {
      durable.flip(offset, bit);
      flipped = true;
    }
    if (offset < current.size) {
      current.flip(offset, bit);
      flipped = true;
    }
    return flipped;
  }

  private static void apply(Content content, Pending p, int length) {
    if (p.data == null) {
      content.truncate(p.offset);
    } else {
      content.write(p.offset, p.data, 0, length);
    }
  }

  /** A growable byte image of a file, at most {@link Integer#MAX_VALUE} - 8 bytes. */
  private static final class Content {
    private static final int MAX = Integer.MAX_VALUE - 8;
    private byte[] bytes = new byte[0];
    private long size;

    int read(byte[] target, int targetOffset, int length, long offset) {
      if (offset >= size) {
        return 0;
      }
      int n = (int) Math.min(length, size - offset);
      System.arraycopy(bytes, (int) offset, target, targetOffset, n);
      return n;
    }

    /** Writes {@code length} bytes of {@code data} from {@code from} at {@code offset}. */
    void write(long offset, byte[] data, int from, int length) {
      long end = offset + length;
      Checks.checkArgument(end <= MAX, "simulated file end", end);
      if (end > bytes.length) {
        long grown = Math.max(end, Math.min(MAX, (long) bytes.length * 2));
        bytes = Arrays.copyOf(bytes, (int) grown);
      }
      if (offset > size) {
        Arrays.fill(bytes, (int) size, (int) offset, (byte) 0);
      }
      System.arraycopy(data, from, bytes, (int) offset, length);
      size = Math.max(size, end);
    }

    void truncate(long newSize) {
      if (newSize < size) {
        Arrays.fill(bytes, (int) newSize, (int) size, (byte) 0);
        size = newSize;
      }
    }

    void copyFrom(Content other) {
      bytes = Arrays.copyOf(other.bytes, other.bytes.length);
      size = other.size;
    }

    void flip(long offset, int bit) {
      bytes[(int) offset] ^= (byte) (1 << bit);
    }
  }
}
