package io.veritydb.store;

import io.veritydb.io.FileHandle;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The store file as an array of 4 KiB pages. Every read is verified (checksum, page number, type)
 * before any byte of it is trusted; a page that does not verify raises {@link CorruptionException}
 * naming the file and the page. Reads may come from any thread; writes only from the writer.
 */
final class PageFile {
  private final FileHandle handle;
  private final Path path;
  private final byte[] writeArray = new byte[PageLayout.PAGE_SIZE];
  private final ByteBuffer writeBuffer =
      ByteBuffer.wrap(writeArray).order(java.nio.ByteOrder.LITTLE_ENDIAN);
  private volatile String firstCorruption;

  /**
   * The newest flush generation a page may carry: the durable superblock's generation plus one (the
   * flush being written). A page stamped newer was written after a superblock this store does not
   * have, so it belongs to another tree: when the newest superblock was damaged and open fell back
   * to the older slot, pages that the lost flush freed may have been reused. Such a page is
   * corruption, never data.
   */
  private volatile long newestGeneration = Long.MAX_VALUE;

  PageFile(FileHandle handle, Path path) {
    this.handle = handle;
    this.path = path;
  }

  Path path() {
    return path;
  }

  long sizeInPages() {
    return handle.size() / PageLayout.PAGE_SIZE;
  }

  /** Reads page {@code pageNumber} and verifies it is an intact page of {@code type}. */
  ByteBuffer read(int pageNumber, byte type) {
    ByteBuffer page = PageLayout.allocate();
    String problem = readInto(page, pageNumber, type);
    if (problem != null) {
      throw corrupt(pageNumber, problem);
    }
    return page;
  }

  /**
   * Reads and verifies a page into {@code page}; returns why it cannot be trusted, or null. A
   * negative page number (read from a damaged reference) is one such reason, not a read. Does not
   * mark the store corrupt: used for the superblock slots, one of which may legitimately be torn or
   * never written.
   */
  String readInto(ByteBuffer page, int pageNumber, byte type) {
    if (pageNumber < 0) {
      return "page number out of range (a damaged page reference)";
    }
    page.clear();
    int n = handle.read(page, (long) pageNumber * PageLayout.PAGE_SIZE);
    if (n != PageLayout.PAGE_SIZE) {
      return "short read of " + n + " bytes (past the end of the file?)";
    }
    page.clear();
    String problem = PageLayout.verify(page, pageNumber, type);
    if (problem == null) {
      long written = page.getLong(PageLayout.GENERATION_OFFSET);
      if (written > newestGeneration) {
        return "written by flush generation "
            + written
            + ", newer than the store's "
            + (newestGeneration - 1)
            + " (a newer superblock was lost or damaged)";
      }
    }
    return problem;
  }

  /** Sets the newest generation a page read from now on may carry (see the field). */
  void newestGeneration(long generation) {
    newestGeneration = generation;
  }

  /**
   * One page buffer per reading thread for tree and overflow pages, which are decoded (copied out)
   * before the next read: no allocation per read. A heap buffer: decoding reads it byte by byte,
   * which costs more on a direct buffer (scope checks per access) than the JDK's one copy from its
   * temporary direct buffer saves (a scan at 10M keys was 0.77x with a direct one).
   */
  private static final ThreadLocal<ByteBuffer> READ_BUFFER =
      ThreadLocal.withInitial(PageLayout::allocate);

  /** {@link #read}, into this thread's page buffer: decode it before the next read. */
  private ByteBuffer readShared(int pageNumber, byte type) {
    ByteBuffer page = READ_BUFFER.get();
    String problem = readInto(page, pageNumber, type);
    if (problem != null) {
      throw corrupt(pageNumber, problem);
    }
    return page;
  }

  /** Reads a leaf or branch. */
  Node readNode(int pageNumber) {
    ByteBuffer page = readShared(pageNumber, PageLayout.TYPE_TREE_NODE);
    String[] problem = new String[1];
    byte type = page.get(PageLayout.TYPE_OFFSET);
    Node node =
        type == PageLayout.TYPE_PACKED_LEAF
            ? PackedLeafLayout.decode(page, pageNumber, problem)
            : type == PageLayout.TYPE_LEAF
                ? LeafLayout.decode(page, pageNumber, problem)
                : BranchLayout.decode(page, pageNumber, problem);
    if (node == null) {
      throw corrupt(pageNumber, problem[0]);
    }
    return node;
  }

  OverflowNode readOverflow(int pageNumber) {
    return OverflowLayout.decode(readShared(pageNumber, PageLayout.TYPE_OVERFLOW), pageNumber);
  }

  /** Encodes and writes {@code node} to its page. Writer thread only. */
  void write(Node node, long generation) {
    ByteBuffer page = cleared();
    if (node instanceof LeafNode leaf) {
      PackedLeafLayout.encode(leaf, page, generation);
    } else if (node instanceof BranchNode branch) {
      BranchLayout.encode(branch, page, generation);
    } else {
      OverflowLayout.encode((OverflowNode) node, page, generation);
    }
    writeBuffer(node.page);
  }

  /** A zeroed page buffer for the writer to fill and pass to {@link #writeBuffer}. */
  ByteBuffer cleared() {
    Arrays.fill(writeArray, (byte) 0);
    writeBuffer.clear();
    return writeBuffer;
  }

  void writeBuffer(int pageNumber) {
    writeBuffer.clear();
    handle.write(writeBuffer, (long) pageNumber * PageLayout.PAGE_SIZE);
  }

  /** Overwrites page {@code pageNumber} with zeros (a free page; it fails its checksum). */
  void writeZeros(int pageNumber) {
    cleared();
    writeBuffer(pageNumber);
  }

  void sync() {
    handle.sync();
  }

  void truncate(int pages) {
    handle.truncate((long) pages * PageLayout.PAGE_SIZE);
  }

  void close() {
    handle.close();
  }

  /** Builds the error for a page that does not verify, and remembers the first one. */
  CorruptionException corrupt(int pageNumber, String problem) {
    String message = "store file " + path + ": page " + pageNumber + " is corrupt: " + problem;
    if (firstCorruption == null) {
      firstCorruption = message;
    }
    return new CorruptionException(message);
  }

  /** The first corruption any read detected, or null. */
  String firstCorruption() {
    return firstCorruption;
  }
}
