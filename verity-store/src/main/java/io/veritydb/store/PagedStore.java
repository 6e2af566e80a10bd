package io.veritydb.store;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.store.SuperblockLayout.Superblock;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import org.agrona.collections.IntArrayList;

/**
 * The projection store on disk: one file of 4 KiB pages holding a copy-on-write B+tree of versions
 * ordered by (key, position descending). {@link #applyUnpublished} changes the writer's working
 * tree; {@link #publish()} (and {@link #apply}, which is both) makes it the published root through
 * a volatile field; readers ({@link #snapshot()}) keep the published root they started with, whose
 * pages are not reused until they close. Pages copied since the last publish belong to the current
 * write epoch and are changed in place by the next applies; publishing starts a new epoch. {@link
 * #flush()} writes the pages and then a superblock into one of two slots; a crash loses what was
 * applied after the last flush, which the runtime replays from the log starting after {@link
 * #appliedPosition()}.
 *
 * <p>Threads: one writer calls apply, flush, close and the reads of this object itself; any thread
 * may read through snapshots.
 */
public final class PagedStore implements ProjectionStore {
  /** Largest key accepted, in bytes. */
  public static final int MAX_KEY_BYTES = LeafLayout.MAX_KEY;

  /** Largest value accepted, in bytes. */
  public static final int MAX_VALUE_BYTES = 64 << 20;

  private final PageFile file;
  private final PageCache cache;
  private final SpaceManager space;
  private final TreeReader reader;
  private final TreeWriter writer;
  private final Compactor compactor;

  /** Most pages one close moves to shrink the file (64 MiB of writes). */
  static final int COMPACT_BUDGET_PAGES = 16_384;

  private final boolean compactOnClose;
  private int compactedPages;
  private final SnapshotTracker tracker;

  /** What snapshots see: changed only by {@link #publish()} (and purge, which publishes). */
  private volatile Root published;

  /** The writer's tree: published plus everything applied since. Written by the writer only. */
  private volatile Root working;

  /** Owner of the pages the next apply may change in place; see {@link WriteEpoch}. */
  private final WriteEpoch epoch = new WriteEpoch();

  private volatile boolean closed;
  private volatile String failure;
  private final long retention;

  private final FlushWriter flusher;

  /** Syncs early-written pages while applies go on; null unless the option asks for it. */
  private final BackgroundSync syncer;

  private PagedStore(
      PageFile file, StoreOptions options, Superblock superblock, SpaceManager space) {
    this.file = file;
    // Sized by the pages the file holds, which the superblock's page count exceeds by free pages
    // only (see Superblocks.readFreeList); the cache grows when the writer allocates beyond.
    this.cache =
        new PageCache(
            file, options.cacheBytes(), (int) Math.min(superblock.pageCount(), file.sizeInPages()));
    this.space = space;
    this.reader = new TreeReader(cache);
    this.writer = new TreeWriter(cache, space, reader);
    this.compactor = new Compactor(cache, space);
    this.compactOnClose = options.compactOnClose();
    this.tracker = new SnapshotTracker(options.maxOpenSnapshots());
    this.published = new Root(superblock.applied(), superblock.root(), superblock.prunedBelow(), 0);
    this.working = published;
    this.retention = options.historyRetention();
    this.flusher = new FlushWriter(file, cache, space, superblock, published);
    if (options.backgroundSync()) {
      cache.trackSettled();
      this.syncer = new BackgroundSync(file);
    } else {
      this.syncer = null;
    }
  }

  /**
   * Opens (creating when missing) the store file {@code path} and loads its newest valid flush.
   *
   * @throws CorruptionException when neither superblock slot verifies, or the free list or the page
   *     count does not agree with the file (see {@link Superblocks#readFreeList})
   */
  public static PagedStore open(FileIo io, Path path, StoreOptions options) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(options, "options");
    boolean existed = io.exists(path);
    FileHandle handle = io.open(path, FileIo.Mode.CREATE);
    PageFile file = new PageFile(handle, path);
    try {
      if (!existed && path.toAbsolutePath().getParent() != null) {
        io.syncDirectory(path.toAbsolutePath().getParent());
      }
      if (handle.size() == 0) {
        Superblocks.write(
            file, new Superblock(1, 0, 0, SuperblockLayout.FIRST_DATA_PAGE, 0, 0, 0, 0));
        file.sync();
      }
      Superblock superblock = Superblocks.loadNewest(file);
      IntArrayList listPages = new IntArrayList();
      int[] free = Superblocks.readFreeList(file, superblock, listPages);
      if (handle.size() > (long) superblock.pageCount() * PageLayout.PAGE_SIZE) {
        file.truncate(superblock.pageCount()); // pages written after the flush
      }
      SpaceManager space = new SpaceManager(superblock.pageCount(), free, listPages.toIntArray());
      return new PagedStore(file, options, superblock, space);
    } catch (RuntimeException e) {
      try {
        handle.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * Applies {@code batch} at {@code position} to the working tree without publishing it: {@link
   * #snapshot()} still returns the last published root, while reads of this store see the new
   * state. Pages this write epoch already copied are changed in place.
   */
  @Override
  public void applyUnpublished(LogPosition position, WriteBatch batch) {
    checkWritable();
    Root current = working;
    Checks.checkArgument(
        position.value() > current.position(),
        "position",
        position.value(),
        "applied",
        current.position());
    for (WriteBatch.Write write : batch.writes()) {
      if (write.key().length > MAX_KEY_BYTES) {
        throw new BadRequestException(
            "store key of " + write.key().length + " bytes exceeds the limit " + MAX_KEY_BYTES);
      }
      if (!write.isDelete() && write.value().length > MAX_VALUE_BYTES) {
        throw new BadRequestException(
            "store value of "
                + write.value().length
                + " bytes exceeds the limit "
                + MAX_VALUE_BYTES);
      }
    }
    try {
      epoch.beforeApply();
      reclaim();
      if (cache.overDirtyLimit()) {
        cache.flushDirty(
            flusher.generation() + 1); // makes the pages immutable: the next apply copies them
      }
      if (syncer != null && cache.writeSettled(epoch.current(), flusher.generation() + 1) > 0) {
        syncer.request(); // the last published applies' leaves: no apply changes them again
      }
      long horizon = horizon(position.value());
      int newRoot = writer.apply(current.page(), position.value(), batch, horizon, epoch.current());
      working =
          new Root(
              position.value(),
              newRoot,
              Math.max(current.prunedBelow(), horizon),
              current.purges());
      epoch.applied();
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  /**
   * Makes the working tree the published root: later snapshots see it. Starts a new write epoch, so
   * no page reachable from the published root is changed again. Nothing to do (no allocation, no
   * lock) when nothing was applied since the last publish.
   */
  @Override
  public void publish() {
    checkOpen();
    if (failure != null) {
      return; // the working tree may be half-applied: it was dropped, see fail()
    }
    if (!epoch.unpublished()) {
      return;
    }
    published = working;
    epoch.published();
  }

  /** The oldest position whose reads apply at {@code position} must keep exact; -1 for all. */
  private long horizon(long position) {
    return retention == StoreOptions.KEEP_ALL_HISTORY ? -1 : Math.max(-1, position - retention);
  }

  /**
   * Irreversibly removes every version of every key in {@code range} (copy-on-write: snapshots
   * taken before keep reading the old tree). The position does not change; the next flush makes the
   * purge durable (so does {@link #close()}). Pages that held purged bytes are zeroed once no
   * snapshot and no durable superblock reaches them; a page already free or waiting when the purge
   * starts is zeroed too (now, or when it becomes reusable).
   */
  @Override
  public long purge(KeyRange range) {
    Checks.checkNotNull(range, "range");
    checkWritable();
    publish();
    Root current = published;
    try {
      reclaim();
      for (int page : space.markForZeroing()) {
        cache.discard(page);
        file.writeZeros(page);
      }
      long purges = current.purges() + 1;
      int newRoot = writer.purge(current.page(), range, -1 - purges, purges);
      Root next = new Root(current.position(), newRoot, current.prunedBelow(), purges);
      working = next;
      published = next;
      return writer.purged();
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  /**
   * Makes reusable what the rules allow; returns how many pages it zeroed (not yet synced). With no
   * reader pinned, a new snapshot may still pin the published root at any moment, so pages freed
   * after it (by unpublished applies) wait.
   */
  private int reclaim() {
    Root current = published;
    long oldest = tracker.oldestPinned(current.position());
    long oldestPurges = tracker.oldestPurgePinned(current.purges());
    return space.reclaim(
        oldest,
        flusher.durablePosition(),
        oldestPurges,
        flusher.durableRoot().purges(),
        cache::discard,
        file::writeZeros);
  }

  /** The newest applied position, published or not. */
  @Override
  public LogPosition appliedPosition() {
    return LogPosition.of(working.position());
  }

  /** Publishes (see {@link #publish()}), then makes the published state durable. */
  @Override
  public void flush() {
    checkWritable();
    publish();
    try {
      if (published.equals(flusher.durableRoot()) && cache.dirtyPages() == 0) {
        // Nothing applied since the last flush: spare the superblock, but zero the pages of a
        // purge that just became reusable (their readers closed).
        if (reclaim() > 0) {
          file.sync();
        }
        return;
      }
      writeFlush();
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  /** Flushes the published root, even when nothing changed since the last flush. */
  private void writeFlush() {
    try {
      if (syncer != null) {
        syncer.pause(); // throws if a background fsync failed: its pages may not be durable
      }
      try {
        flusher.write(published, this::reclaim);
      } finally {
        if (syncer != null) {
          syncer.resume();
        }
      }
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  @Override
  public StoreSnapshot snapshot() {
    checkOpen();
    Object token = new Object();
    SnapshotTracker.Pin pin = tracker.pin(() -> published, token);
    return new PagedSnapshot(this, pin, token);
  }

  /** Flushes what was applied since the last flush (unless failed), then closes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (failure == null && file.firstCorruption() == null) {
        if (!working.equals(flusher.durableRoot())) {
          flush();
        }
        if (compactOnClose && tracker.closeIfIdle()) {
          compactTail();
        }
      }
    } finally {
      closed = true;
      if (syncer != null) {
        syncer.close();
      }
      cache.clear();
      file.close();
    }
  }

  /**
   * With no reader left, when at least an eighth of the file is free: moves the live pages at its
   * end (at most {@link #COMPACT_BUDGET_PAGES}) into free pages nearer its start, flushes, and
   * flushes again to cut the freed end off the file. Copy-on-write throughout, so a crash at any
   * point reopens at one of the flushes, with the same data.
   */
  private void compactTail() {
    try {
      reclaim();
      if (space.reusableCount() < space.pageCount() / 8) {
        return;
      }
      int limit = space.compactionLimit(COMPACT_BUDGET_PAGES);
      if (limit < 0) {
        return;
      }
      Root current = published;
      long purges = current.purges() + 1;
      int newRoot = compactor.relocate(current.page(), limit, -1 - purges, purges);
      compactedPages += compactor.moved();
      Root next = new Root(current.position(), newRoot, current.prunedBelow(), purges);
      working = next;
      published = next;
      writeFlush(); // the moved pages; the old ones become free once it is durable
      writeFlush(); // records the smaller page count and truncates the file
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  /** Pages moved by compaction on close; for tests. */
  int compactedPages() {
    return compactedPages;
  }

  /**
   * The first corruption this store found in its file (a page that failed its checks, naming the
   * page), or null. Once set, the store is read-only until reopened; the file needs rebuilding.
   */
  public String corruption() {
    return file.firstCorruption();
  }

  /** Figures for monitoring; exact when called from the writer thread. */
  public StoreStats stats() {
    return new StoreStats(
        working.position(),
        flusher.durablePosition(),
        flusher.generation(),
        space.pageCount(),
        space.reusableCount(),
        space.pendingCount(),
        cache.dirtyPages(),
        cache.cachedBytes(),
        cache.pageReads(),
        tracker.openCount(),
        tracker.leakedCount());
  }

  @Override
  public LogPosition position() {
    return appliedPosition();
  }

  @Override
  public byte[] get(byte[] key) {
    checkOpen();
    Root current = working;
    return reader.get(current.page(), key, current.position());
  }

  @Override
  public byte[] getAt(byte[] key, LogPosition at) {
    checkOpen();
    Root current = working;
    checkAt(at, current);
    return reader.get(current.page(), key, at.value());
  }

  @Override
  public LogPosition versionAt(byte[] key, LogPosition at) {
    checkOpen();
    Root current = working;
    checkAt(at, current);
    long p = reader.versionAt(current.page(), key, at.value());
    return p < 0 ? null : LogPosition.of(p);
  }

  @Override
  public StoreCursor scanAt(KeyRange range, LogPosition at, boolean descending, int limit) {
    checkOpen();
    Object token = new Object();
    Root current = working;
    SnapshotTracker.Pin pin = tracker.pin(() -> current, token);
    epoch.cursorOpened(pin); // it reads pages the current epoch may change
    try {
      checkAt(at, pin.root());
      return new MvccCursor(
          reader, pin.root().page(), range, at.value(), descending, limit, pin, null, token);
    } catch (RuntimeException e) {
      pin.release();
      throw e;
    }
  }

  /**
   * Reads every version the tree holds, history and tombstones included, so that every page it
   * reaches (branches, leaves, overflow values) passes its checks: offline verification uses it to
   * find damage that no read at the newest position meets (a scan skips the leaves that hold only
   * older versions of a key). Returns the number of versions. Runs on the writer's thread.
   *
   * @throws CorruptionException naming the file and the page that fails its checks
   */
  public long readEveryVersion() {
    checkOpen();
    TreeCursor cursor = new TreeCursor(cache, working.page());
    long versions = 0;
    for (cursor.seekGe(new byte[0], Long.MAX_VALUE); cursor.valid(); cursor.next()) {
      byte[] value = reader.value(cursor.leaf(), cursor.index());
      Checks.checkState(
          value != null || cursor.kind() == LeafNode.KIND_TOMBSTONE, "version", versions);
      versions++;
    }
    return versions;
  }

  static void checkAt(LogPosition at, Root root) {
    if (at.value() > root.position()) {
      throw new BadRequestException(
          "cannot read at " + at + ": the view holds positions up to " + root.position());
    }
    if (at.value() < root.prunedBelow()) {
      throw new BadRequestException(
          "cannot read at "
              + at
              + ": history before position "
              + root.prunedBelow()
              + " is no longer retained (store history retention)");
    }
  }

  /** The root page of the newest applied tree (0 when empty); for tests and tools. */
  int rootPage() {
    return working.page();
  }

  TreeReader reader() {
    return reader;
  }

  /** The background sync thread, or null; for tests. */
  BackgroundSync backgroundSync() {
    return syncer;
  }

  void checkOpen() {
    if (closed) {
      throw new ClosedException("store file " + file.path() + " is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (failure != null) {
      throw new UnavailableException(
          "store file " + file.path() + " failed and accepts no writes: " + failure);
    }
    String corruption = file.firstCorruption();
    if (corruption != null) {
      throw new CorruptionException("store is read-only after detecting corruption: " + corruption);
    }
  }

  @Override
  public void abandon(String why) {
    fail(new UnavailableException("the store was abandoned: " + why));
  }

  /**
   * Marks the store failed: no more writes. A failed apply may have changed pages of the current
   * epoch in place, so the writer's view falls back to the last published root (intact: nothing
   * reachable from it is ever changed); what was applied after it is lost until reopened.
   */
  private void fail(RuntimeException e) {
    if (failure == null) {
      failure = e.toString();
    }
    working = published;
    epoch.published(); // the dropped epoch's pages are never changed again
  }
}
