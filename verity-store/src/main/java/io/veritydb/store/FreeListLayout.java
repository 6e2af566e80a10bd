package io.veritydb.store;

import java.nio.ByteBuffer;

/**
 * Body of a free-list page: {@code count} (header) free page numbers, u32 little-endian each; the
 * header's {@code link} names the next free-list page (0 on the last).
 *
 * <pre>
 *  +----------+----------+-----+----------------+
 *  | page u32 | page u32 | ... | (count of them)|
 *  +----------+----------+-----+----------------+
 * </pre>
 */
final class FreeListLayout {
  private FreeListLayout() {}

  static final int CAPACITY = PageLayout.BODY_SIZE / 4;

  static void encode(
      int pageNumber, int[] pages, int from, int count, int next, ByteBuffer page, long gen) {
    for (int i = 0; i < count; i++) {
      page.putInt(PageLayout.HEADER_SIZE + 4 * i, pages[from + i]);
    }
    PageLayout.seal(page, PageLayout.TYPE_FREE_LIST, count, pageNumber, gen, 4 * count, next);
  }
}
