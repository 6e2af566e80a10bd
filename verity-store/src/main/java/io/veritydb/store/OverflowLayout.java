package io.veritydb.store;

import java.nio.ByteBuffer;

/**
 * Body of an overflow page: a slice of one large value. The header's {@code link} names the next
 * page of the chain (0 on the last) and {@code used} the slice length.
 *
 * <pre>
 *  +-----------------------------------------------+
 *  | value bytes (used <= BODY_SIZE)               |
 *  +-----------------------------------------------+
 * </pre>
 */
final class OverflowLayout {
  private OverflowLayout() {}

  static final int CAPACITY = PageLayout.BODY_SIZE;

  static void encode(OverflowNode node, ByteBuffer page, long generation) {
    page.put(PageLayout.HEADER_SIZE, node.data);
    PageLayout.seal(
        page, PageLayout.TYPE_OVERFLOW, 0, node.page, generation, node.data.length, node.next);
  }

  static OverflowNode decode(ByteBuffer page, int pageNumber) {
    byte[] data = new byte[page.getInt(PageLayout.USED_OFFSET)];
    page.get(PageLayout.HEADER_SIZE, data);
    return new OverflowNode(pageNumber, data, page.getInt(PageLayout.LINK_OFFSET));
  }
}
