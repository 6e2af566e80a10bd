package io.veritydb.simdisk;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.FileLockedException;
import io.veritydb.io.HeldLock;
import io.veritydb.types.Checks;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory {@link FileIo} with the crash semantics of a real disk, and switches to inject
 * faults. The simulator and the crash tests use it; it is main code so that the code under test has
 * no second path.
 *
 * <p>Durability model:
 *
 * <ul>
 *   <li>Each file has durable content (as of its last successful {@link FileHandle#sync}) and the
 *       writes and truncations made since.
 *   <li>Directory entries (file creation, rename, delete) become durable only when {@link
 *       #syncDirectory} is called on the parent directory. Directories themselves are durable once
 *       created.
 *   <li>{@link #crash(CrashMode)} discards what is not durable ({@link CrashMode#LOSE_UNSYNCED}),
 *       or keeps a random prefix of each file's unsynced operations, the last one cut at a 512-byte
 *       sector boundary ({@link CrashMode#TORN}), or keeps each 512-byte sector of each unsynced
 *       write independently at random, as a disk with a volatile write cache may ({@link
 *       CrashMode#SCATTERED}), or keeps everything as a process crash does ({@link
 *       CrashMode#KEEP_UNSYNCED}). Handles opened before the crash stop working.
 * </ul>
 *
 * <p>Faults: failing fsyncs (the data stays unsynced and {@link UnavailableException} is thrown),
 * torn writes (a sector-aligned prefix is written, then the write fails), read errors, bit flips in
 * stored bytes, and a byte budget (writes beyond it fail with "disk full"). Every random choice
 * comes from one {@link Random} seeded at construction, so a run is reproducible from its seed.
 *
 * <p>Thread-safe: every operation holds this object's lock.
 */
public final class SimFileIo implements FileIo {
  /** What survives {@link #crash(CrashMode)}. */
  public enum CrashMode {
    /** Only durable data and durable directory entries survive (power loss). */
    LOSE_UNSYNCED,
    /** Like LOSE_UNSYNCED, but a random sector-granular prefix of unsynced writes survives. */
    TORN,
    /** Everything written survives (the process died, the operating system did not). */
    KEEP_UNSYNCED,
    /**
     * A disk with a volatile write cache: each unsynced sector (512 bytes) of each pending write
     * survives or not, independently at random, so a later sector of one write may persist while an
     * earlier one is lost; pending truncations happen all or nothing. What survives is applied in
     * order.
     */
    SCATTERED
  }

  private final Random random;
  private final Set<Path> directories = new HashSet<>();
  private final Map<Path, SimFile> names = new TreeMap<>();
  private final Map<Path, SimFile> durableNames = new TreeMap<>();
  private final Set<Path> readErrors = new TreeSet<>();
  private final Map<Path, HeldLock.Mode> locked = new TreeMap<>();
  private long generation;
  private long diskBudget = Long.MAX_VALUE;
  private int failingSyncs;
  private double syncFailureProbability;
  private double readErrorProbability;
  private double tornWriteProbability;
  private long crashes;

  /** A simulated disk whose random choices all come from {@code seed}. */
  public SimFileIo(long seed) {
    this.random = new Random(seed);
  }

  // ---- fault switches -------------------------------------------------------------------

  /** Writes that would make the total size of all files exceed {@code bytes} fail "disk full". */
  public synchronized void setDiskBudget(long bytes) {
    Checks.checkArgument(bytes >= 0, "diskBudget", bytes);
    diskBudget = bytes;
  }

  /** The next {@code count} fsyncs (file or directory) fail; the data stays unsynced. */
  public synchronized void failNextSyncs(int count) {
    Checks.checkArgument(count >= 0, "count", count);
    failingSyncs = count;
  }

  /** Each fsync fails with this probability. */
  public synchronized void setSyncFailureProbability(double p) {
    syncFailureProbability = probability(p);
  }

  /** Each read fails with this probability. */
  public synchronized void setReadErrorProbability(double p) {
    readErrorProbability = probability(p);
  }

  /**
   * Each write fails with this probability after storing a sector-aligned prefix of its bytes
   * (possibly nothing): a torn write.
   */
  public synchronized void setTornWriteProbability(double p) {
    tornWriteProbability = probability(p);
  }

  /** Every read of {@code path} fails until {@link #clearReadErrors()}. */
  public synchronized void failReads(Path path) {
    readErrors.add(key(path));
  }

  public synchronized void clearReadErrors() {
    readErrors.clear();
  }

  /** Flips bit {@code bit} (0-7) of the byte at {@code offset} of {@code path}, as stored. */
  public synchronized void flipBit(Path path, long offset, int bit) {
    SimFile file = names.get(key(path));
    if (file == null || !file.flipBit(offset, bit)) {
      throw new IllegalArgumentException("no byte at offset " + offset + " of " + path);
    }
  }

  /**
   * Flips one random bit in one random non-empty file under {@code dir} (or anywhere when null);
   * returns a description "path@offset:bit", or null when there is no byte to flip.
   */
  public synchronized String flipRandomBit(Path dir) {
    List<Path> candidates = new ArrayList<>();
    for (Map.Entry<Path, SimFile> e : names.entrySet()) {
      if (e.getValue().size() > 0 && (dir == null || e.getKey().startsWith(key(dir)))) {
        candidates.add(e.getKey());
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    Path path = candidates.get(random.nextInt(candidates.size()));
    long offset = (long) (random.nextDouble() * names.get(path).size());
    int bit = random.nextInt(8);
    names.get(path).flipBit(offset, bit);
    return path + "@" + offset + ":" + bit;
  }

  /** Simulates a power loss: {@link CrashMode#LOSE_UNSYNCED}. */
  public void crash() {
    crash(CrashMode.LOSE_UNSYNCED);
  }

  /** Simulates a crash; handles opened before it throw on use (closing them is allowed). */
  public synchronized void crash(CrashMode mode) {
    Checks.checkNotNull(mode, "mode");
    crashes++;
    generation++;
    locked.clear(); // the process holding them is gone
    if (mode == CrashMode.KEEP_UNSYNCED) {
      for (SimFile file : names.values()) {
        file.keepAll();
      }
      durableNames.clear();
      durableNames.putAll(names);
      return;
    }
    Set<SimFile> done = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SimFile file : durableNames.values()) {
      if (done.add(file)) {
        file.crash(mode, random);
      }
    }
    names.clear();
    names.putAll(durableNames);
  }

  /** How many crashes were simulated. */
  public synchronized long crashes() {
    return crashes;
  }

  /** Total size of all files, in bytes (what the disk budget counts). */
  public synchronized long usedBytes() {
    long total = 0;
    for (SimFile file : names.values()) {
      total += file.size();
    }
    return total;
  }

  /** The random stream of this disk, for callers that want choices tied to the same seed. */
  public Random random() {
    return random;
  }

  // ---- FileIo ---------------------------------------------------------------------------

  @Override
  public synchronized FileHandle open(Path path, Mode mode) {
    Path k = key(path);
    SimFile file = names.get(k);
    if (file == null) {
      if (mode != Mode.CREATE) {
        throw new UnavailableException("file not found: " + path);
      }
      requireDirectory(k.getParent(), path);
      if (directories.contains(k)) {
        throw new UnavailableException("cannot open " + path + ": is a directory");
      }
      file = new SimFile();
      names.put(k, file);
    }
    return new SimFileHandle(this, path, file, mode != Mode.READ, generation);
  }

  @Override
  public synchronized boolean exists(Path path) {
    Path k = key(path);
    return names.containsKey(k) || directories.contains(k);
  }

  @Override
  public synchronized boolean isDirectory(Path path) {
    return directories.contains(key(path));
  }

  @Override
  public synchronized List<Path> list(Path dir) {
    Path k = key(dir);
    requireDirectory(k, dir);
    List<Path> files = new ArrayList<>();
    for (Path p : names.keySet()) {
      if (k.equals(p.getParent())) {
        files.add(dir.resolve(p.getFileName()));
      }
    }
    files.sort(null);
    return files;
  }

  @Override
  public synchronized void createDirectories(Path dir) {
    Path k = key(dir);
    if (names.containsKey(k)) {
      throw new UnavailableException("cannot create directory " + dir + ": a file exists");
    }
    for (Path p = k; p != null; p = p.getParent()) {
      directories.add(p);
    }
  }

  @Override
  public synchronized void delete(Path path) {
    names.remove(key(path));
  }

  @Override
  public synchronized void rename(Path source, Path target) {
    SimFile file = names.remove(key(source));
    if (file == null) {
      throw new UnavailableException(
          "cannot rename " + source + " to " + target + ": file not found");
    }
    requireDirectory(key(target).getParent(), target);
    names.put(key(target), file);
  }

  @Override
  public synchronized void syncDirectory(Path dir) {
    Path k = key(dir);
    requireDirectory(k, dir);
    maybeFailSync("cannot sync directory " + dir);
    durableNames.keySet().removeIf(p -> k.equals(p.getParent()));
    for (Map.Entry<Path, SimFile> e : names.entrySet()) {
      if (k.equals(e.getKey().getParent())) {
        durableNames.put(e.getKey(), e.getValue());
      }
    }
  }

  @Override
  public synchronized FileHandle createOwnerOnly(Path path) {
    if (names.containsKey(key(path))) {
      throw new UnavailableException("cannot create " + path + ": it already exists");
    }
    FileHandle handle = open(path, Mode.CREATE);
    names.get(key(path)).ownerOnly(true);
    return handle;
  }

  /** Files are created {@code rw-r--r--} (a umask of 022), key files {@code rw-------}. */
  @Override
  public synchronized Optional<Set<PosixFilePermission>> permissions(Path path) {
    SimFile file = names.get(key(path));
    if (file == null) {
      throw new UnavailableException("file not found: " + path);
    }
    return Optional.of(
        PosixFilePermissions.fromString(file.ownerOnly() ? "rw-------" : "rw-r--r--"));
  }

  /** Makes {@code path} readable by everyone ({@code rw-r--r--}), as a careless copy would. */
  public synchronized void shareWithEveryone(Path path) {
    SimFile file = names.get(key(path));
    if (file == null) {
      throw new UnavailableException("file not found: " + path);
    }
    file.ownerOnly(false);
  }

  /**
   * Locks held by the simulated process, which is alone on the disk: a second lock of a file is
   * refused as a real disk refuses it within one process; a {@link #crash} releases them all. A
   * shared lock of a missing file creates it, as on a writable real directory.
   */
  @Override
  public synchronized HeldLock lock(Path file, HeldLock.Mode mode) {
    Path k = key(file);
    HeldLock.Mode holder = locked.get(k);
    if (holder != null) {
      throw new FileLockedException(file, holder);
    }
    open(file, Mode.CREATE).close();
    locked.put(k, mode);
    long held = generation;
    return new HeldLock() {
      private boolean released;

      @Override
      public Path file() {
        return file;
      }

      @Override
      public void close() {
        synchronized (SimFileIo.this) {
          if (!released && held == generation) {
            locked.remove(k);
          }
          released = true;
        }
      }
    };
  }

  // ---- used by SimFileHandle (callers hold the lock) -------------------------------------

  void checkUsable(SimFileHandle handle) {
    if (handle.generation() != generation) {
      throw new UnavailableException(
          "handle of " + handle.path() + " is no longer valid: the disk crashed");
    }
  }

  void beforeRead(Path path, long offset) {
    if (readErrors.contains(key(path)) || chance(readErrorProbability)) {
      throw new UnavailableException("read at offset " + offset + " failed on " + path);
    }
  }

  /** Stores {@code data} at {@code offset}, or fails; may tear the write. */
  void write(Path path, SimFile file, long offset, byte[] data) {
    long growth = Math.max(0, offset + data.length - file.size());
    if (growth > 0 && usedBytes() + growth > diskBudget) {
      throw new UnavailableException(
          "write at offset " + offset + " failed on " + path + ": disk full");
    }
    if (chance(tornWriteProbability)) {
      int kept = SimFile.tornLength(offset, data.length, random);
      if (kept > 0) {
        file.write(offset, Arrays.copyOf(data, kept));
      }
      throw new UnavailableException(
          "write at offset " + offset + " failed on " + path + ": torn after " + kept + " bytes");
    }
    file.write(offset, data);
  }

  void sync(Path path, SimFile file) {
    maybeFailSync("fsync failed on " + path);
    file.sync();
  }

  private void maybeFailSync(String message) {
    if (failingSyncs > 0) {
      failingSyncs--;
      throw new UnavailableException(message);
    }
    if (chance(syncFailureProbability)) {
      throw new UnavailableException(message);
    }
  }

  private boolean chance(double p) {
    return p > 0 && random.nextDouble() < p;
  }

  private void requireDirectory(Path k, Path shown) {
    if (k == null || !directories.contains(k)) {
      throw new UnavailableException("no such directory: " + (k == null ? shown : k));
    }
  }

  private static Path key(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private static double probability(double p) {
    Checks.checkArgument(p >= 0 && p <= 1, "probability must be in [0, 1], was " + p);
    return p;
  }
}
