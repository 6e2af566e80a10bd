package io.veritydb.store;

import java.nio.ByteBuffer;

/**
 * The superblock: pages 0 and 1 of the store file are two slots; flush generation g is written to
 * slot g % 2, so a torn write of one slot leaves the previous generation intact in the other. Open
 * loads the valid slot with the highest generation. Little-endian body:
 *
 * <pre>
 *  0              8         12        16              24              32      36        40
 *  +--------------+---------+---------+---------------+---------------+-------+---------+
 *  | magic u64    | ver u32 | rsvd    | generation u64| applied u64   | root  | pages   |
 *  +--------------+---------+---------+---------------+---------------+-------+---------+
 *  40             44              48           52               60
 *  +--------------+---------------+------------+----------------+
 *  | freeHead u32 | freePages u32 | freeCount  | prunedBelow u64|
 *  +--------------+---------------+------------+----------------+
 * </pre>
 *
 * {@code root} is 0 for an empty tree; {@code pages} is the file's page count (the high-water
 * mark); the free list is a chain of {@code freePages} pages from {@code freeHead} holding {@code
 * freeCount} page numbers; reads before {@code prunedBelow} are refused (history retention).
 */
final class SuperblockLayout {
  private SuperblockLayout() {}

  static final long MAGIC = 0x524F545359545256L; // "VRTYSTOR" little-endian

  /**
   * 2: leaves may be packed ({@link PackedLeafLayout}); version 1 files (plain leaves only) are
   * read too, and get a version 2 superblock at their next flush.
   */
  static final int VERSION = 2;

  static final int OLDEST_READABLE_VERSION = 1;
  static final int SLOTS = 2;

  /** The first page a tree node may use. */
  static final int FIRST_DATA_PAGE = 2;

  static final int MAGIC_OFFSET = PageLayout.HEADER_SIZE;
  static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
  static final int GENERATION_OFFSET = MAGIC_OFFSET + 16;
  static final int APPLIED_OFFSET = MAGIC_OFFSET + 24;
  static final int ROOT_OFFSET = MAGIC_OFFSET + 32;
  static final int PAGES_OFFSET = MAGIC_OFFSET + 36;
  static final int FREE_HEAD_OFFSET = MAGIC_OFFSET + 40;
  static final int FREE_PAGES_OFFSET = MAGIC_OFFSET + 44;
  static final int FREE_COUNT_OFFSET = MAGIC_OFFSET + 48;
  static final int PRUNED_BELOW_OFFSET = MAGIC_OFFSET + 52;
  static final int BODY_USED = 60;

  /** The decoded fields of one superblock. */
  record Superblock(
      long generation,
      long applied,
      int root,
      int pageCount,
      int freeHead,
      int freePages,
      int freeCount,
      long prunedBelow) {}

  static int slotOf(long generation) {
    return (int) (generation % SLOTS);
  }

  static void encode(Superblock s, ByteBuffer page) {
    page.putLong(MAGIC_OFFSET, MAGIC);
    page.putInt(VERSION_OFFSET, VERSION);
    page.putLong(GENERATION_OFFSET, s.generation());
    page.putLong(APPLIED_OFFSET, s.applied());
    page.putInt(ROOT_OFFSET, s.root());
    page.putInt(PAGES_OFFSET, s.pageCount());
    page.putInt(FREE_HEAD_OFFSET, s.freeHead());
    page.putInt(FREE_PAGES_OFFSET, s.freePages());
    page.putInt(FREE_COUNT_OFFSET, s.freeCount());
    page.putLong(PRUNED_BELOW_OFFSET, s.prunedBelow());
    PageLayout.seal(
        page, PageLayout.TYPE_SUPERBLOCK, 0, slotOf(s.generation()), s.generation(), BODY_USED, 0);
  }

  /** Decodes a verified superblock page; null with {@code problem[0]} set when it is not valid. */
  static Superblock decode(ByteBuffer page, String[] problem) {
    if (page.getLong(MAGIC_OFFSET) != MAGIC) {
      problem[0] = "bad magic";
      return null;
    }
    int version = page.getInt(VERSION_OFFSET);
    if (version < OLDEST_READABLE_VERSION || version > VERSION) {
      problem[0] = "unsupported version " + page.getInt(VERSION_OFFSET);
      return null;
    }
    Superblock s =
        new Superblock(
            page.getLong(GENERATION_OFFSET),
            page.getLong(APPLIED_OFFSET),
            page.getInt(ROOT_OFFSET),
            page.getInt(PAGES_OFFSET),
            page.getInt(FREE_HEAD_OFFSET),
            page.getInt(FREE_PAGES_OFFSET),
            page.getInt(FREE_COUNT_OFFSET),
            page.getLong(PRUNED_BELOW_OFFSET));
    boolean sane =
        s.generation() >= 1
            && s.applied() >= 0
            && s.pageCount() >= FIRST_DATA_PAGE
            && (s.root() == 0 || (s.root() >= FIRST_DATA_PAGE && s.root() < s.pageCount()))
            && s.freePages() >= 0
            && s.freeCount() >= 0
            && s.freeCount() <= s.pageCount()
            && s.prunedBelow() >= 0
            && s.prunedBelow() <= s.applied();
    if (!sane) {
      problem[0] = "fields out of range: " + s;
      return null;
    }
    return s;
  }
}
