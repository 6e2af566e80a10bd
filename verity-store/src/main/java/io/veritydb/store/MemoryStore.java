package io.veritydb.store;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link ProjectionStore} held entirely in memory: every version of every key in one concurrent
 * sorted map ordered by (key, position). Nothing is durable, so {@link #flush()} keeps nothing; a
 * runtime using it replays the whole log on open.
 *
 * <p>It is the reference model the paged store is tested against, and the store of the simulator's
 * simplest configurations. Versions are only added, except by {@link #purge}, so a reader at
 * position P is stable without pinning anything, except that it sees a purge made after it was
 * taken (a {@link PagedStore} snapshot does not).
 */
public final class MemoryStore implements ProjectionStore {
  private static final byte[] TOMBSTONE = new byte[0];

  private final ConcurrentSkipListMap<Version, byte[]> versions = new ConcurrentSkipListMap<>();
  private volatile long applied;

  /** The newest published position: what {@link #snapshot()} sees. */
  private volatile long published;

  /** Why {@link #abandon} stopped the store; null while it accepts writes. */
  private volatile String abandoned;

  /**
   * Adds the versions at {@code position}. Snapshots see only versions at or before their own
   * position, so versions applied after the last publish stay invisible to new snapshots until
   * {@link #publish()}.
   */
  @Override
  public void applyUnpublished(LogPosition position, WriteBatch batch) {
    checkWritable();
    Checks.checkArgument(
        position.value() > applied, "position", position.value(), "applied", applied);
    for (WriteBatch.Write write : batch.writes()) {
      versions.put(
          new Version(write.key().clone(), position.value()),
          write.isDelete() ? TOMBSTONE : write.value().clone());
    }
    applied = position.value();
  }

  @Override
  public void publish() {
    checkWritable();
    published = applied;
  }

  @Override
  public void abandon(String why) {
    if (abandoned == null) {
      abandoned = why;
    }
    long keep = published;
    versions.keySet().removeIf(v -> v.position > keep);
    applied = keep;
  }

  private void checkWritable() {
    if (abandoned != null) {
      throw new UnavailableException("the store was abandoned and accepts no writes: " + abandoned);
    }
  }

  /**
   * Removes the versions of the keys in {@code range}. Unlike {@link PagedStore}, snapshots taken
   * before the purge see it too (they read the one shared map).
   */
  @Override
  public long purge(KeyRange range) {
    Checks.checkNotNull(range, "range");
    publish();
    NavigableMap<Version, byte[]> slice = versions;
    if (range.low() != null) {
      slice = slice.tailMap(new Version(range.low(), Long.MIN_VALUE), true);
    }
    if (range.high() != null) {
      slice = slice.headMap(new Version(range.high(), Long.MIN_VALUE), false);
    }
    long removed = 0;
    Iterator<Version> it = slice.keySet().iterator();
    while (it.hasNext()) {
      it.next();
      it.remove();
      removed++;
    }
    return removed;
  }

  @Override
  public LogPosition appliedPosition() {
    return LogPosition.of(applied);
  }

  @Override
  public StoreSnapshot snapshot() {
    return new View(published);
  }

  @Override
  public void flush() {
    publish(); // nothing is durable in memory
  }

  @Override
  public void close() {
    versions.clear();
  }

  @Override
  public LogPosition position() {
    return appliedPosition();
  }

  @Override
  public byte[] get(byte[] key) {
    return read(key, applied);
  }

  @Override
  public byte[] getAt(byte[] key, LogPosition at) {
    checkAt(at, applied);
    return read(key, at.value());
  }

  @Override
  public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
    checkAt(at, applied);
    return collect(range, at.value(), descending, limit);
  }

  private static void checkAt(LogPosition at, long position) {
    if (at.value() > position) {
      throw new BadRequestException(
          "cannot read at " + at + ": the view holds positions up to " + position);
    }
  }

  @Override
  public LogPosition versionAt(byte[] key, LogPosition at) {
    checkAt(at, applied);
    return version(key, at.value());
  }

  private LogPosition version(byte[] key, long at) {
    Map.Entry<Version, byte[]> entry = versions.floorEntry(new Version(key, at));
    if (entry == null || !Arrays.equals(entry.getKey().key, key)) {
      return null;
    }
    return LogPosition.of(entry.getKey().position);
  }

  private byte[] read(byte[] key, long at) {
    Map.Entry<Version, byte[]> entry = versions.floorEntry(new Version(key, at));
    if (entry == null || !Arrays.equals(entry.getKey().key, key) || entry.getValue() == TOMBSTONE) {
      return null;
    }
    return entry.getValue().clone();
  }

  private StoreCursor collect(KeyRange range, long at, boolean descending, int limit) {
    Checks.checkArgument(limit >= 0, "limit", limit);
    NavigableMap<Version, byte[]> slice = versions;
    if (range.low() != null) {
      slice = slice.tailMap(new Version(range.low(), 0), true);
    }
    if (range.high() != null) {
      slice = slice.headMap(new Version(range.high(), 0), false);
    }
    List<byte[][]> out = new ArrayList<>();
    Iterator<Map.Entry<Version, byte[]>> it =
        descending ? slice.descendingMap().entrySet().iterator() : slice.entrySet().iterator();
    byte[] currentKey = null;
    byte[] currentValue = null;
    boolean seen = false;
    while (it.hasNext() && out.size() < limit) {
      Map.Entry<Version, byte[]> entry = it.next();
      Version version = entry.getKey();
      if (currentKey != null && !Arrays.equals(currentKey, version.key)) {
        emit(out, currentKey, currentValue);
        currentValue = null;
        seen = false;
      }
      currentKey = version.key;
      if (version.position <= at && (!descending || !seen)) {
        currentValue = entry.getValue();
        seen = true;
      }
    }
    if (currentKey != null && out.size() < limit) {
      emit(out, currentKey, currentValue);
    }
    return new ListCursor(out);
  }

  private static void emit(List<byte[][]> out, byte[] key, byte[] value) {
    if (value != null && value != TOMBSTONE) {
      out.add(new byte[][] {key, value});
    }
  }

  /** One version of a key: ordered by key bytes (unsigned), then position. */
  private static final class Version implements Comparable<Version> {
    final byte[] key;
    final long position;

    Version(byte[] key, long position) {
      this.key = key;
      this.position = position;
    }

    @Override
    public int compareTo(Version other) {
      int c = Arrays.compareUnsigned(key, other.key);
      return c != 0 ? c : Long.compare(position, other.position);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Version v && position == v.position && Arrays.equals(key, v.key);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Long.hashCode(position);
    }
  }

  private static final class ListCursor implements StoreCursor {
    private final List<byte[][]> entries;
    private int index = -1;

    ListCursor(List<byte[][]> entries) {
      this.entries = entries;
    }

    @Override
    public boolean next() {
      if (index + 1 >= entries.size()) {
        index = entries.size();
        return false;
      }
      index++;
      return true;
    }

    @Override
    public byte[] key() {
      return entries.get(index)[0].clone();
    }

    @Override
    public byte[] value() {
      return entries.get(index)[1].clone();
    }

    @Override
    public void close() {
      index = entries.size();
    }
  }

  private final class View implements StoreSnapshot {
    private final long position;

    View(long position) {
      this.position = position;
    }

    @Override
    public LogPosition position() {
      return LogPosition.of(position);
    }

    @Override
    public byte[] get(byte[] key) {
      return read(key, position);
    }

    @Override
    public byte[] getAt(byte[] key, LogPosition at) {
      checkAt(at, position);
      return read(key, at.value());
    }

    @Override
    public LogPosition versionAt(byte[] key, LogPosition at) {
      checkAt(at, position);
      return version(key, at.value());
    }

    @Override
    public StoreCursor scan(KeyRange range, boolean descending, int limit) {
      return collect(range, position, descending, limit);
    }

    @Override
    public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
      checkAt(at, position);
      return collect(range, at.value(), descending, limit);
    }

    @Override
    public void close() {
      // Versions are only removed by a purge, which views see too: a view pins nothing.
    }
  }
}
