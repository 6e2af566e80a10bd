package io.veritydb.store;

import io.veritydb.store.SuperblockLayout.Superblock;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import org.agrona.collections.IntArrayList;

/** Reading and writing the superblock slots and the free list they point at. */
final class Superblocks {
  private Superblocks() {}

  /** The valid superblock with the highest generation; corruption when neither slot is valid. */
  static Superblock loadNewest(PageFile file) {
    Superblock best = null;
    StringBuilder problems = new StringBuilder();
    for (int slot = 0; slot < SuperblockLayout.SLOTS; slot++) {
      ByteBuffer page = PageLayout.allocate();
      String[] problem = {file.readInto(page, slot, PageLayout.TYPE_SUPERBLOCK)};
      Superblock s = problem[0] == null ? SuperblockLayout.decode(page, problem) : null;
      if (s == null) {
        problems.append(" slot ").append(slot).append(": ").append(problem[0]).append(';');
      } else if (SuperblockLayout.slotOf(s.generation()) != slot) {
        problems.append(" slot ").append(slot).append(": holds generation ");
        problems.append(s.generation()).append(';');
        s = null;
      }
      if (s != null && (best == null || s.generation() > best.generation())) {
        best = s;
      }
    }
    if (best == null) {
      throw new CorruptionException(
          "store file " + file.path() + ": no valid superblock in either slot:" + problems);
    }
    return best;
  }

  /**
   * The free pages recorded by {@code s}; the pages holding the list go to {@code listPages}. The
   * list must be what a checkpoint writes: at most one list page per page of the file, none of them
   * twice, {@link SuperblockLayout.Superblock#freeCount} entries in all, each a data page below the
   * page count; and the pages the superblock counts beyond the end of the file must be free ones (a
   * free page may never have been written). Anything else is a {@link CorruptionException} naming
   * the file: no allocation or loop is sized by a count before the pages holding it are read.
   */
  static int[] readFreeList(PageFile file, Superblock s, IntArrayList listPages) {
    long filePages = file.sizeInPages();
    if (s.freePages() > filePages) {
      throw corrupt(
          file, s, "a free list of " + s.freePages() + " pages in a file of " + filePages);
    }
    IntArrayList free = new IntArrayList(16, Integer.MIN_VALUE);
    PageBits visited = new PageBits();
    int page = s.freeHead();
    for (int i = 0; i < s.freePages(); i++) {
      if (page < SuperblockLayout.FIRST_DATA_PAGE || page >= s.pageCount()) {
        throw file.corrupt(page, "free-list page number out of range (" + s.pageCount() + ")");
      }
      if (visited.get(page)) {
        throw file.corrupt(page, "the free list comes back to this page");
      }
      visited.set(page);
      ByteBuffer buffer = file.read(page, PageLayout.TYPE_FREE_LIST);
      listPages.addInt(page);
      int count = Short.toUnsignedInt(buffer.getShort(PageLayout.COUNT_OFFSET));
      if (count > FreeListLayout.CAPACITY || free.size() + count > s.freeCount()) {
        throw file.corrupt(page, "free-list page holds " + count + " entries, too many");
      }
      for (int j = 0; j < count; j++) {
        int entry = buffer.getInt(PageLayout.HEADER_SIZE + 4 * j);
        if (entry < SuperblockLayout.FIRST_DATA_PAGE || entry >= s.pageCount()) {
          throw file.corrupt(page, "free-list entry " + entry + " out of range");
        }
        free.addInt(entry);
      }
      page = buffer.getInt(PageLayout.LINK_OFFSET);
    }
    if (free.size() != s.freeCount() || page != 0) {
      throw corrupt(file, s, s.freeCount() + " free pages, but its free list holds " + free.size());
    }
    if (s.pageCount() - filePages > free.size()) {
      throw corrupt(
          file,
          s,
          s.pageCount()
              + " pages, but the file has "
              + filePages
              + " and only "
              + free.size()
              + " are free");
    }
    return free.toIntArray();
  }

  private static CorruptionException corrupt(PageFile file, Superblock s, String problem) {
    return new CorruptionException(
        "store file "
            + file.path()
            + ": the superblock of generation "
            + s.generation()
            + " records "
            + problem);
  }

  /** Writes {@code free} into the chain {@code listPages} (not synced). */
  static void writeFreeList(PageFile file, int[] listPages, int[] free, long generation) {
    int from = 0;
    for (int i = 0; i < listPages.length; i++) {
      int count = Math.min(FreeListLayout.CAPACITY, free.length - from);
      int next = i + 1 < listPages.length ? listPages[i + 1] : 0;
      ByteBuffer buffer = file.cleared();
      FreeListLayout.encode(listPages[i], free, from, count, next, buffer, generation);
      file.writeBuffer(listPages[i]);
      from += count;
    }
    io.veritydb.types.Checks.checkState(from == free.length, "free written", from);
  }

  /** Writes {@code s} into its slot (not synced). */
  static void write(PageFile file, Superblock s) {
    ByteBuffer buffer = file.cleared();
    SuperblockLayout.encode(s, buffer);
    file.writeBuffer(SuperblockLayout.slotOf(s.generation()));
  }
}
