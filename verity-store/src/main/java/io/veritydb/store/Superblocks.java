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

  /** The free pages recorded by {@code s}; the pages holding the list go to {@code listPages}. */
  static int[] readFreeList(PageFile file, Superblock s, IntArrayList listPages) {
    IntArrayList free = new IntArrayList(Math.max(16, s.freeCount()), Integer.MIN_VALUE);
    int page = s.freeHead();
    for (int i = 0; i < s.freePages(); i++) {
      if (page < SuperblockLayout.FIRST_DATA_PAGE || page >= s.pageCount()) {
        throw file.corrupt(page, "free-list page number out of range (" + s.pageCount() + ")");
      }
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
      throw new CorruptionException(
          "store file "
              + file.path()
              + ": free list holds "
              + free.size()
              + " pages, the superblock of generation "
              + s.generation()
              + " says "
              + s.freeCount());
    }
    return free.toIntArray();
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
