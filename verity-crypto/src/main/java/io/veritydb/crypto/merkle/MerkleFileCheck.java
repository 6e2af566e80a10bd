package io.veritydb.crypto.merkle;

import static io.veritydb.crypto.merkle.MerkleHashFileLayout.HEADER_LENGTH;
import static io.veritydb.crypto.merkle.MerkleHashFileLayout.RECORD_CRC_OFFSET;
import static io.veritydb.crypto.merkle.MerkleHashFileLayout.RECORD_LENGTH;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.Checks;
import io.veritydb.types.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the level files of {@link FileMerkleHashes} in a directory against the tree recomputed
 * from the leaf hashes, which the caller {@link #append appends} in order (from its log), trusting
 * nothing in the files. Changes nothing.
 *
 * <p>It reports exactly what opening the files would not repair. {@link
 * FileMerkleHashes#open(FileIo, Path, long)} trusts level L's first {@code syncedLeaves >> L}
 * records unread, cuts each file at the first record after them whose checksum fails and at a
 * partial record, and {@link MerkleTree#open} and the caller derive whatever is then missing from
 * the log again (and drop upper-level nodes beyond the leaves). So these are problems: a damaged
 * header; a record among the trusted ones whose checksum fails; any record, trusted or not, whose
 * checksum holds but whose hash is not the recomputed node (the open would keep it and serve it in
 * proofs); leaf hashes beyond the recomputed tree that the open would keep (it then fails: the tree
 * is longer than the log). Missing nodes (a tail not synced before a crash, a deleted file, a part
 * the open cuts off) are not damage; {@link #missingNodes()} counts them.
 *
 * <p>Each file is read once, front to back, {@value #CHUNK_RECORDS} records at a time, while the
 * leaves are appended: memory is one chunk per level whatever the size of the tree. At most one
 * problem is reported per file (the first), naming the file, the node (level, index) and its byte
 * offset.
 */
public final class MerkleFileCheck implements AutoCloseable {
  static final int CHUNK_RECORDS = 1024;

  private final Level[] levels = new Level[MerkleHash.MAX_LEVELS];
  private final List<String> problems = new ArrayList<>();
  private final MerkleTree tree;
  private long nodesChecked;
  private long missingNodes;
  private boolean finished;

  private final long syncedLeaves;

  private MerkleFileCheck(long syncedLeaves) {
    this.syncedLeaves = syncedLeaves;
    this.tree = MerkleTree.open(new Recomputed());
  }

  /**
   * Opens the level files in {@code dir} for reading (none when the directory does not exist) and
   * checks their headers. {@code syncedLeaves} is what the database passes to {@link
   * FileMerkleHashes#open(FileIo, Path, long)} when it opens these files (the newest signed
   * checkpoint's tree size; 0 when there is none).
   */
  public static MerkleFileCheck open(FileIo io, Path dir, long syncedLeaves) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(dir, "dir");
    Checks.checkArgument(syncedLeaves >= 0, "syncedLeaves", syncedLeaves);
    MerkleFileCheck check = new MerkleFileCheck(syncedLeaves);
    if (!io.exists(dir)) {
      return check;
    }
    try {
      for (int level = 0; level < MerkleHash.MAX_LEVELS; level++) {
        Path path = FileMerkleHashes.fileName(dir, level);
        if (io.exists(path)) {
          check.levels[level] = check.openLevel(io, path, level);
        }
      }
      return check;
    } catch (RuntimeException e) {
      check.close();
      throw e;
    }
  }

  private Level openLevel(FileIo io, Path path, int level) {
    FileHandle handle = io.open(path, FileIo.Mode.READ);
    Level file = new Level(path, handle);
    long size = handle.size();
    if (size < HEADER_LENGTH) {
      file.records = 0; // a torn creation: open rewrites it empty and derives it again
      return file;
    }
    try {
      LevelFile.checkHeader(handle, path, level);
    } catch (CorruptionException e) {
      file.fail(e.getMessage());
      return file;
    }
    file.records = (size - HEADER_LENGTH) / RECORD_LENGTH; // a partial record: cut by the open
    file.trusted = Math.min(syncedLeaves >>> level, file.records);
    return file;
  }

  /** Appends the next leaf hash to the recomputed tree and checks every node it completes. */
  public void append(byte[] leafHash) {
    Checks.checkState(!finished, "leaves appended after finish()");
    tree.append(leafHash);
  }

  /** The number of leaves appended. */
  public long size() {
    return tree.size();
  }

  /** The root of the recomputed tree of the leaves appended so far. */
  public byte[] root() {
    return tree.root();
  }

  /**
   * Ends the check after the last leaf: looks for nodes stored beyond the recomputed tree and
   * partial records at the ends of the files. Returns every problem found, one line each, naming
   * the file; empty when the files hold only nodes of the recomputed tree.
   */
  public List<String> finish() {
    if (!finished) {
      finished = true;
      Level leaves = levels[0];
      long size = tree.size();
      if (leaves != null && !leaves.failed && leaves.records > size) {
        // The open keeps the leaf after the tree unless it is untrusted and fails its checksum.
        int at = leaves.recordAt(size);
        boolean cut =
            size >= leaves.trusted
                && leaves.chunk.getInt(at + RECORD_CRC_OFFSET)
                    != MerkleHashFileLayout.recordCrc(0, size, leaves.chunk.array(), at);
        if (!cut) {
          leaves.fail(
              leaves.path
                  + ": holds "
                  + leaves.records
                  + " leaf hashes but the log has "
                  + size
                  + " records: the leaf at index "
                  + size
                  + " (offset "
                  + MerkleHashFileLayout.recordOffset(size)
                  + ") and after it are not in the log");
        }
      }
    }
    return List.copyOf(problems);
  }

  /** Stored nodes compared with the recomputed tree (checksum and hash). */
  public long nodesChecked() {
    return nodesChecked;
  }

  /** Nodes of the recomputed tree that no file holds (derived again from the log on open). */
  public long missingNodes() {
    return missingNodes;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Level file : levels) {
      if (file != null) {
        try {
          file.handle.close();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Node (level, index) of the recomputed tree, just completed: compares it with the file. */
  private void completed(int level, long index, byte[] hash) {
    Level file = levels[level];
    if (file == null || index >= file.records) {
      if (file == null || !file.failed) {
        missingNodes++;
      }
      return;
    }
    if (file.failed) {
      return;
    }
    int at = file.recordAt(index);
    byte[] chunk = file.chunk.array();
    long offset = MerkleHashFileLayout.recordOffset(index);
    boolean checksumHolds =
        file.chunk.getInt(at + RECORD_CRC_OFFSET)
            == MerkleHashFileLayout.recordCrc(level, index, chunk, at);
    if (!checksumHolds && index >= file.trusted) {
      file.records = index; // the open cuts the file here, and the rest is derived again
      missingNodes++;
    } else if (!checksumHolds) {
      file.fail(
          file.path
              + ": checksum mismatch of Merkle node (level "
              + level
              + ", index "
              + index
              + ") at offset "
              + offset);
    } else if (!Arrays.equals(chunk, at, at + MerkleHash.LENGTH, hash, 0, MerkleHash.LENGTH)) {
      file.fail(
          file.path
              + ": Merkle node (level "
              + level
              + ", index "
              + index
              + ") at offset "
              + offset
              + " differs from the tree recomputed from the log");
    } else {
      nodesChecked++;
    }
  }

  /** One level file being read front to back. */
  private final class Level {
    final Path path;
    final FileHandle handle;
    final ByteBuffer chunk =
        ByteBuffer.allocate(CHUNK_RECORDS * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    long records;
    long trusted;
    long chunkFirst;
    int chunkCount;
    boolean failed;

    Level(Path path, FileHandle handle) {
      this.path = path;
      this.handle = handle;
    }

    void fail(String problem) {
      failed = true;
      problems.add(problem);
    }

    /** The offset in {@link #chunk} of record {@code index}, reading the chunk holding it. */
    int recordAt(long index) {
      Checks.checkArgument(index >= 0 && index < records, "index", index, "records", records);
      if (index < chunkFirst || index >= chunkFirst + chunkCount) {
        int n = (int) Math.min(CHUNK_RECORDS, records - index);
        chunk.clear().limit(n * RECORD_LENGTH);
        long offset = MerkleHashFileLayout.recordOffset(index);
        int read = handle.read(chunk, offset);
        if (read != n * RECORD_LENGTH) {
          throw new CorruptionException(
              path
                  + ": short read of "
                  + read
                  + " of "
                  + n * RECORD_LENGTH
                  + " bytes at "
                  + offset);
        }
        chunkFirst = index;
        chunkCount = n;
      }
      return (int) (index - chunkFirst) * RECORD_LENGTH;
    }
  }

  /** The node store of the recomputed tree: keeps nothing, hands each node to the check. */
  private final class Recomputed implements MerkleHashes {
    private final long[] counts = new long[MerkleHash.MAX_LEVELS];

    @Override
    public long count(int level) {
      return counts[level];
    }

    @Override
    public byte[] node(int level, long index) {
      throw new IllegalStateException(
          "the recomputed tree keeps no nodes; node (" + level + ", " + index + ") was asked for");
    }

    @Override
    public void append(int level, byte[] hash) {
      completed(level, counts[level], hash);
      counts[level]++;
    }

    @Override
    public void truncate(long leafCount) {
      Checks.checkArgument(leafCount == 0, "leafCount", leafCount);
    }

    @Override
    public void sync() {}

    @Override
    public void close() {}
  }
}
