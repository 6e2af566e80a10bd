package io.veritydb.store;

import static io.veritydb.store.LittleEndian.INT;
import static io.veritydb.store.LittleEndian.LONG;
import static io.veritydb.store.LittleEndian.SHORT;

import io.veritydb.types.Checks;
import java.nio.ByteBuffer;

/**
 * Body of a branch page: the first child, then {@code count} separators each followed by the child
 * to its right. Little-endian.
 *
 * <pre>
 *  0             4
 *  +-------------+------------------------------------------------------------+
 *  | child 0 u32 | separator entries...                                       |
 *  +-------------+------------------------------------------------------------+
 *  separator entry:
 *  0         2                 10           14
 *  +---------+-----------------+------------+------------------+
 *  | keyLen  | position        | child      | key bytes        |
 *  | u16     | u64             | u32        | keyLen           |
 *  +---------+-----------------+------------+------------------+
 * </pre>
 */
final class BranchLayout {
  private BranchLayout() {}

  static final int FIRST_CHILD_SIZE = 4;
  static final int ENTRY_HEADER = 14;

  static int entrySize(int keyLength) {
    return ENTRY_HEADER + keyLength;
  }

  /** Encodes {@code branch} into {@code page}, a heap buffer whose array starts at the page. */
  static void encode(BranchNode branch, ByteBuffer page, long generation) {
    Checks.checkArgument(page.hasArray() && page.arrayOffset() == 0, "page buffer", 0);
    byte[] out = page.array();
    int at = PageLayout.HEADER_SIZE;
    INT.set(out, at, branch.children[0]);
    at += FIRST_CHILD_SIZE;
    for (int i = 0; i < branch.count; i++) {
      byte[] key = branch.keys[i];
      SHORT.set(out, at, (short) key.length);
      LONG.set(out, at + 2, branch.positions[i]);
      INT.set(out, at + 10, branch.children[i + 1]);
      System.arraycopy(key, 0, out, at + ENTRY_HEADER, key.length);
      at += entrySize(key.length);
    }
    int used = at - PageLayout.HEADER_SIZE;
    Checks.checkState(used == branch.bytes, "used", used, "bytes", branch.bytes);
    PageLayout.seal(page, PageLayout.TYPE_BRANCH, branch.count, branch.page, generation, used, 0);
  }

  /** Decodes a verified branch page; returns null with {@code problem[0]} set when malformed. */
  static BranchNode decode(ByteBuffer page, int pageNumber, String[] problem) {
    int count = Short.toUnsignedInt(page.getShort(PageLayout.COUNT_OFFSET));
    int end = PageLayout.HEADER_SIZE + page.getInt(PageLayout.USED_OFFSET);
    BranchNode branch = new BranchNode(pageNumber, Node.IMMUTABLE, Math.max(count, 1));
    int at = PageLayout.HEADER_SIZE;
    if (count == 0 || at + FIRST_CHILD_SIZE > end) {
      problem[0] = "branch with " + count + " separators";
      return null;
    }
    branch.children[0] = page.getInt(at);
    at += FIRST_CHILD_SIZE;
    for (int i = 0; i < count; i++) {
      if (at + ENTRY_HEADER > end) {
        problem[0] = "separator " + i + " header runs past the used length";
        return null;
      }
      int keyLength = Short.toUnsignedInt(page.getShort(at));
      long position = page.getLong(at + 2);
      int child = page.getInt(at + 10);
      if (keyLength > LeafLayout.MAX_KEY || at + entrySize(keyLength) > end) {
        problem[0] = "separator " + i + " is malformed (key " + keyLength + ")";
        return null;
      }
      byte[] key = new byte[keyLength];
      page.get(at + ENTRY_HEADER, key);
      branch.insert(i, key, position, child);
      at += entrySize(keyLength);
    }
    if (at != end) {
      problem[0] = "separators end at " + at + " but the used length ends at " + end;
      return null;
    }
    return branch;
  }
}
