package io.veritydb.store;

import static io.veritydb.store.LittleEndian.INT;
import static io.veritydb.store.LittleEndian.LONG;
import static io.veritydb.store.LittleEndian.SHORT;

import io.veritydb.types.Checks;
import java.util.Arrays;

/**
 * A leaf: versions ordered by (key ascending, position descending), so the newest version of a key
 * comes first and the version visible at an older position is a few entries further on.
 *
 * <p>In memory the entries stay in their on-disk form (see {@link LeafLayout}): one byte array
 * packed in order, plus the offset of each entry. A binary search then touches one array instead of
 * one object per key, decoding a page is a copy, and encoding it is a copy back.
 */
final class LeafNode extends Node {
  static final byte KIND_VALUE = 0;
  static final byte KIND_TOMBSTONE = 1;
  static final byte KIND_OVERFLOW = 2;

  /** Entries, packed from 0 to {@link #bytes}. */
  byte[] data;

  /** Start of entry i in {@link #data}. */
  int[] offsets;

  int count;

  /** Bytes of all entries in {@link #data} (the in-memory form, larger than the packed page). */
  int bytes;

  /** Sum of {@link PackedLeafLayout#entrySize} over the entries: see {@link #packedSize()}. */
  private int packedSum;

  /**
   * Where an ascending run of inserts into this node would continue: the index right after the last
   * entry inserted, -1 when unknown. An insert there (or right after the older versions of the key
   * inserted last) continues the run: a bulk load, a growing id, a batch of updates in key order,
   * also with other key spaces following in the same leaf. The writer then splits a full leaf just
   * after the new key's versions, leaving a full page behind instead of two half-empty ones. Writer
   * only, not persisted.
   */
  int runEnd = -1;

  /** Whether an insert at {@code index} continues the ascending run (see {@link #runEnd}). */
  boolean continuesRun(int index) {
    if (runEnd < 0 || index < runEnd || index - runEnd > 8) {
      return false;
    }
    if (index == runEnd) {
      return true;
    }
    if (runEnd == 0) {
      return false;
    }
    int last = offsets[runEnd - 1] + LeafLayout.ENTRY_HEADER;
    int lastLength = keyLength(runEnd - 1);
    for (int i = runEnd; i < index; i++) {
      int from = offsets[i] + LeafLayout.ENTRY_HEADER;
      if (!Arrays.equals(data, from, from + keyLength(i), data, last, last + lastLength)) {
        return false; // skipped more than the older versions of the key inserted last
      }
    }
    return true;
  }

  LeafNode(int page, long owner, byte[] data, int[] offsets, int count, int bytes) {
    this(page, owner, data, offsets, count, bytes, -1);
  }

  /**
   * A leaf whose {@link #packedSum} the caller already knows (a decoder, a copy); -1 to count it
   * here.
   */
  LeafNode(int page, long owner, byte[] data, int[] offsets, int count, int bytes, int packedSum) {
    super(page, owner);
    this.data = data;
    this.offsets = offsets;
    this.count = count;
    this.bytes = bytes;
    int sum = packedSum;
    if (sum < 0) {
      sum = 0;
      for (int i = 0; i < count; i++) {
        sum += packedEntrySize(i);
      }
    }
    this.packedSum = sum;
  }

  /** Writes the fixed entry header of {@link LeafLayout} at {@code at}. */
  static void writeHeader(
      byte[] data, int at, int keyLength, byte kind, int valueLength, long pos) {
    SHORT.set(data, at, (short) keyLength);
    data[at + 2] = kind;
    SHORT.set(data, at + 3, (short) valueLength);
    LONG.set(data, at + 5, pos);
  }

  /** The {@link PackedLeafLayout} bound of entry i, its prefix not subtracted. */
  int packedEntrySize(int i) {
    return PackedLeafLayout.entrySize(keyLength(i), valueLength(i), position(i));
  }

  /**
   * Bytes of the common key prefix of entries [from, to): entries are sorted, so it is the common
   * prefix of the first and the last key. 0 for an empty range.
   */
  int commonPrefix(int from, int to) {
    if (to - from < 2) {
      return to - from == 1 ? keyLength(from) : 0;
    }
    int a = offsets[from] + LeafLayout.ENTRY_HEADER;
    int b = offsets[to - 1] + LeafLayout.ENTRY_HEADER;
    int la = keyLength(from);
    int lb = keyLength(to - 1);
    int m = Arrays.mismatch(data, a, a + la, data, b, b + lb);
    return m < 0 ? la : m;
  }

  /** The sum of {@link #packedEntrySize} over every entry (kept up to date by each change). */
  int packedEntrySum() {
    return packedSum;
  }

  /**
   * An upper bound of the page body this leaf needs in {@link PackedLeafLayout} (exact unless a key
   * suffix length takes fewer varint bytes than the whole key length).
   */
  int packedSize() {
    int prefix = commonPrefix(0, count);
    return PackedLeafLayout.HEADER + prefix + packedSum - count * prefix;
  }

  /** {@link #packedSize()} of {@code left}'s entries followed by {@code right}'s in one leaf. */
  static int mergedPackedSize(LeafNode left, LeafNode right) {
    if (left.count == 0 || right.count == 0) {
      return left.count == 0 ? right.packedSize() : left.packedSize();
    }
    int a = left.offsets[0] + LeafLayout.ENTRY_HEADER;
    int b = right.offsets[right.count - 1] + LeafLayout.ENTRY_HEADER;
    int la = left.keyLength(0);
    int lb = right.keyLength(right.count - 1);
    int m = Arrays.mismatch(left.data, a, a + la, right.data, b, b + lb);
    int prefix = m < 0 ? la : m;
    int count = left.count + right.count;
    return PackedLeafLayout.HEADER + prefix + left.packedSum + right.packedSum - count * prefix;
  }

  /** Whether every entry of {@code right} sorts after every entry of this leaf. */
  boolean precedes(LeafNode right) {
    return count == 0 || right.count == 0 || compareEntryWith(count - 1, right, 0) < 0;
  }

  /** Appends every entry of {@code right}, whose entries all sort after this leaf's. */
  void appendAll(LeafNode right) {
    Checks.checkArgument(precedes(right), "merged leaves out of order", page, "right", right.page);
    if (bytes + right.bytes > data.length) {
      data = Arrays.copyOf(data, bytes + right.bytes + 256);
    }
    if (count + right.count > offsets.length) {
      offsets = Arrays.copyOf(offsets, count + right.count + 8);
    }
    System.arraycopy(right.data, 0, data, bytes, right.bytes);
    for (int i = 0; i < right.count; i++) {
      offsets[count + i] = right.offsets[i] + bytes;
    }
    count += right.count;
    bytes += right.bytes;
    packedSum += right.packedSum;
    runEnd = -1;
  }

  /** Compares the keys of entries i and j (unsigned byte-wise). */
  int compareEntryKeys(int i, int j) {
    int a = offsets[i] + LeafLayout.ENTRY_HEADER;
    int b = offsets[j] + LeafLayout.ENTRY_HEADER;
    return Arrays.compareUnsigned(data, a, a + keyLength(i), data, b, b + keyLength(j));
  }

  private int compareEntryWith(int i, LeafNode other, int j) {
    int a = offsets[i] + LeafLayout.ENTRY_HEADER;
    int b = other.offsets[j] + LeafLayout.ENTRY_HEADER;
    int c =
        Arrays.compareUnsigned(data, a, a + keyLength(i), other.data, b, b + other.keyLength(j));
    return c != 0 ? c : Long.compare(other.position(j), position(i));
  }

  /** {@link #packedSize()} of the entries [from, to) alone, as a leaf of their own. */
  int packedSize(int from, int to) {
    int prefix = commonPrefix(from, to);
    int sum = 0;
    for (int i = from; i < to; i++) {
      sum += packedEntrySize(i) - prefix;
    }
    return PackedLeafLayout.HEADER + prefix + sum;
  }

  static LeafNode empty(int page, long owner) {
    return new LeafNode(page, owner, new byte[256], new int[8], 0, 0);
  }

  /** A modifiable copy at {@code newPage} owned by {@code newOwner}. */
  LeafNode copyTo(int newPage, long newOwner) {
    byte[] d = Arrays.copyOf(data, Math.max(bytes + 512, 256));
    int[] o = Arrays.copyOf(offsets, Math.max(count + 8, 8));
    LeafNode copy = new LeafNode(newPage, newOwner, d, o, count, bytes, packedSum);
    copy.runEnd = runEnd;
    return copy;
  }

  int keyLength(int i) {
    return Short.toUnsignedInt((short) SHORT.get(data, offsets[i]));
  }

  byte kind(int i) {
    return data[offsets[i] + 2];
  }

  int valueLength(int i) {
    return Short.toUnsignedInt((short) SHORT.get(data, offsets[i] + 3));
  }

  long position(int i) {
    return (long) LONG.get(data, offsets[i] + 5);
  }

  int entrySize(int i) {
    return LeafLayout.entrySize(keyLength(i), valueLength(i));
  }

  byte[] key(int i) {
    int from = offsets[i] + LeafLayout.ENTRY_HEADER;
    return Arrays.copyOfRange(data, from, from + keyLength(i));
  }

  /** The inline value bytes (for an overflow entry, its 8-byte reference). */
  byte[] value(int i) {
    int from = offsets[i] + LeafLayout.ENTRY_HEADER + keyLength(i);
    return Arrays.copyOfRange(data, from, from + valueLength(i));
  }

  int overflowFirstPage(int i) {
    return (int) INT.get(data, offsets[i] + LeafLayout.ENTRY_HEADER + keyLength(i));
  }

  int overflowLength(int i) {
    return (int) INT.get(data, offsets[i] + LeafLayout.ENTRY_HEADER + keyLength(i) + 4);
  }

  boolean keyEquals(int i, byte[] key) {
    int from = offsets[i] + LeafLayout.ENTRY_HEADER;
    return Arrays.equals(data, from, from + keyLength(i), key, 0, key.length);
  }

  int compareKey(int i, byte[] key) {
    int from = offsets[i] + LeafLayout.ENTRY_HEADER;
    return Arrays.compareUnsigned(data, from, from + keyLength(i), key, 0, key.length);
  }

  int compareAt(int i, byte[] key, long position) {
    int c = compareKey(i, key);
    return c != 0 ? c : Long.compare(position, position(i));
  }

  /** The first index whose entry is at or after (key, position); count when none. */
  int lowerBound(byte[] key, long position) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareAt(mid, key, position) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  void insert(int index, byte[] key, long position, byte kind, byte[] value) {
    Checks.checkArgument(index >= 0 && index <= count, "index", index, "count", count);
    int size = LeafLayout.entrySize(key.length, value.length);
    int at = index == count ? bytes : offsets[index];
    if (bytes + size > data.length) {
      data = Arrays.copyOf(data, Math.max(bytes + size, data.length * 2));
    }
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, Math.max(8, count * 2));
    }
    System.arraycopy(data, at, data, at + size, bytes - at);
    System.arraycopy(offsets, index, offsets, index + 1, count - index);
    for (int i = index + 1; i <= count; i++) {
      offsets[i] += size;
    }
    offsets[index] = at;
    writeHeader(data, at, key.length, kind, value.length, position);
    System.arraycopy(key, 0, data, at + LeafLayout.ENTRY_HEADER, key.length);
    System.arraycopy(value, 0, data, at + LeafLayout.ENTRY_HEADER + key.length, value.length);
    count++;
    bytes += size;
    packedSum += PackedLeafLayout.entrySize(key.length, value.length, position);
    runEnd = index + 1;
  }

  /** Replaces the kind and value of entry {@code index}, keeping its key and position. */
  void replace(int index, byte kind, byte[] value) {
    byte[] key = key(index);
    long position = position(index);
    remove(index);
    insert(index, key, position, kind, value);
  }

  void remove(int index) {
    Checks.checkArgument(index >= 0 && index < count, "index", index, "count", count);
    int at = offsets[index];
    int size = entrySize(index);
    packedSum -= packedEntrySize(index);
    runEnd = index < runEnd ? -1 : runEnd;
    System.arraycopy(data, at + size, data, at, bytes - at - size);
    System.arraycopy(offsets, index + 1, offsets, index, count - index - 1);
    count--;
    for (int i = index; i < count; i++) {
      offsets[i] -= size;
    }
    bytes -= size;
  }

  /**
   * Moves the entries from {@code from} on into a new right sibling at {@code rightPage}. With
   * {@code fillsNext} (an ascending run goes on in the right leaf) the right leaf gets this leaf's
   * capacity, which held a full leaf: growing it from a few hundred bytes by doubling cost a tenth
   * of a bulk insert. Otherwise room for a few more entries only, as the cache counts capacity.
   */
  LeafNode splitOff(int from, int rightPage, boolean fillsNext) {
    Checks.checkArgument(from > 0 && from < count, "from", from, "count", count);
    int start = offsets[from];
    int moved = count - from;
    int capacity = bytes - start + 512;
    byte[] d =
        Arrays.copyOfRange(data, start, start + Math.max(capacity, fillsNext ? data.length : 0));
    int[] o = new int[Math.max(moved + 8, 8)];
    for (int i = 0; i < moved; i++) {
      o[i] = offsets[from + i] - start;
    }
    LeafNode right = new LeafNode(rightPage, owner, d, o, moved, bytes - start);
    right.runEnd = runEnd >= from ? runEnd - from : -1;
    runEnd = runEnd <= from ? runEnd : -1;
    count = from;
    bytes = start;
    packedSum -= right.packedSum;
    return right;
  }

  @Override
  int memoryBytes() {
    return 64 + data.length + 4 * offsets.length;
  }
}
