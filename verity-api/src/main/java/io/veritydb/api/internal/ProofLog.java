package io.veritydb.api.internal;

import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.merkle.FileMerkleHashes;
import io.veritydb.crypto.merkle.MerkleHash;
import io.veritydb.crypto.merkle.MerkleTree;
import io.veritydb.crypto.merkle.ProofText;
import io.veritydb.crypto.note.Checkpoint;
import io.veritydb.crypto.note.NoteSigner;
import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.crypto.note.SignedNote;
import io.veritydb.crypto.note.TlogProof;
import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.storage.Log;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.LogPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The log's Merkle tree (RFC 6962, one leaf per log record: the record's stored bytes, leaf index =
 * position - 1) and its signed checkpoints (C2SP tlog-checkpoint, Ed25519).
 *
 * <p>The tree is derived from the log: leaves are appended after each group commit and made durable
 * only at checkpoints; on open, whatever the tree lacks is re-derived from the log. A tree longer
 * than the log means the log lost records it had acknowledged: corruption.
 *
 * <p>Checkpoints are written to {@code checkpoints/<size>.note} (write a temporary file, fsync,
 * rename, fsync the directory) and the newest is kept in memory. Thread-safe.
 */
public final class ProofLog implements AutoCloseable {
  static final String CHECKPOINT_SUFFIX = ".note";

  private final FileIo io;
  private final Path checkpointDir;
  private final Log log;
  private final MerkleTree tree;
  private final NoteSigner signer;
  private SignedNote latest;

  private ProofLog(FileIo io, Path checkpointDir, Log log, MerkleTree tree, NoteSigner signer) {
    this.io = io;
    this.checkpointDir = checkpointDir;
    this.log = log;
    this.tree = tree;
    this.signer = signer;
  }

  /**
   * Opens the tree in {@code dir/merkle} and the checkpoints in {@code dir/checkpoints}. The newest
   * checkpoint is read (and its signature checked) first: its size is a leaf count whose nodes were
   * synced before it was written, so only the tree's part after it is scanned for crash damage; it
   * is checked against the tree once the tree has caught up with the log.
   */
  public static ProofLog open(FileIo io, Path dir, Log log, Ed25519KeyPair signingKey) {
    Path merkleDir = dir.resolve("merkle");
    Path checkpointDir = dir.resolve("checkpoints");
    io.createDirectories(merkleDir);
    io.createDirectories(checkpointDir);
    NoteSigner signer = signerFor(signingKey);
    Path newestFile = newestCheckpointFile(io, checkpointDir);
    SignedNote newest =
        newestFile == null
            ? null
            : SignedNote.open(readCheckpoint(io, newestFile), List.of(signer.verifier()));
    long syncedLeaves = newest == null ? 0 : Checkpoint.parseBody(newest.text()).size();
    MerkleTree tree = MerkleTree.open(FileMerkleHashes.open(io, merkleDir, syncedLeaves));
    ProofLog proofs = new ProofLog(io, checkpointDir, log, tree, signer);
    try {
      proofs.catchUp();
      proofs.latest = newest == null ? null : proofs.checkAgainstTree(newestFile, newest);
      return proofs;
    } catch (RuntimeException e) {
      tree.close();
      throw e;
    }
  }

  /** The signer whose name (the checkpoints' origin) is derived from the public key. */
  static NoteSigner signerFor(Ed25519KeyPair key) {
    return NoteSigner.ed25519(originOf(key.publicKey()), key);
  }

  /** {@code veritydb/<first 8 bytes of SHA-256 of the public key, hex>}: stable per key. */
  static String originOf(byte[] publicKey) {
    return "veritydb/" + HexFormat.of().formatHex(sha256(publicKey), 0, 8);
  }

  /** Appends the leaves of log records the tree does not have yet. */
  public synchronized void catchUp() {
    long logSize = log.lastPosition().value();
    if (tree.size() > logSize) {
      throw new CorruptionException(
          "the Merkle tree has "
              + tree.size()
              + " leaves but the log ends at position "
              + logSize
              + ": the log lost records it had acknowledged");
    }
    for (long p = tree.size() + 1; p <= logSize; p++) {
      tree.append(MerkleHash.leafHash(log.read(LogPosition.of(p)).storedBytes()));
    }
  }

  /**
   * Adds the leaves of the records just appended, from their stored bytes, without reading the log
   * back; falls back to {@link #catchUp()} if the tree is not right behind them.
   */
  public synchronized void appended(Log.StoredRecords records) {
    if (records.firstPosition() != tree.size() + 1) {
      catchUp();
      return;
    }
    for (int i = 0; i < records.count(); i++) {
      tree.append(MerkleHash.leafHash(records.storedBytes(i)));
    }
  }

  /** The origin line of this database's checkpoints. */
  public String origin() {
    return signer.name();
  }

  /** The verifier key in C2SP signed-note form. */
  public String verifierKey() {
    return signer.verifier().encode();
  }

  public NoteVerifier verifier() {
    return signer.verifier();
  }

  /** Signs and stores a checkpoint of the whole log as it is now. */
  public synchronized SignedNote checkpoint(long timeMicros) {
    catchUp();
    tree.sync();
    long size = tree.size();
    if (latest != null && checkpointOf(latest).size() == size) {
      return latest;
    }
    byte[] chain = log.lastChainHash().toBytes();
    SignedNote note =
        Checkpoint.veritydb(origin(), size, tree.root(), chain, timeMicros).sign(List.of(signer));
    write(checkpointDir.resolve(fileName(size)), note.toBytes());
    latest = note;
    return note;
  }

  /** The newest signed checkpoint, or null when none was ever made. */
  public synchronized SignedNote latest() {
    return latest;
  }

  /**
   * A C2SP tlog-proof that the record at {@code position} is in the newest checkpoint (made now
   * when the newest does not cover the position); its extra line carries the leaf data.
   */
  public synchronized String proveInclusion(LogPosition position, long nowMicros) {
    if (position.value() < 1 || position.value() > log.lastPosition().value()) {
      throw new BadRequestException(
          "no record at "
              + position
              + ": the log holds positions 1 to "
              + log.lastPosition().value());
    }
    SignedNote note = latest;
    if (note == null || checkpointOf(note).size() < position.value()) {
      note = checkpoint(nowMicros);
    }
    long size = checkpointOf(note).size();
    long index = position.value() - 1;
    byte[] leaf = log.read(position).storedBytes();
    return TlogProof.of(leaf, index, tree.inclusionProof(index, size), note).encode();
  }

  /** The RFC 6962 consistency proof from tree size {@code fromSize} to the newest checkpoint. */
  public synchronized String proveConsistency(long fromSize) {
    SignedNote note = latest;
    if (note == null) {
      throw new BadRequestException("there is no checkpoint yet to prove consistency with");
    }
    long size = checkpointOf(note).size();
    if (fromSize < 1 || fromSize > size) {
      throw new BadRequestException(
          "a consistency proof needs a tree size from 1 to the newest checkpoint's "
              + size
              + ", was "
              + fromSize);
    }
    return ProofText.encode(tree.consistencyProof(fromSize, size));
  }

  /** The root of the tree at {@code size} leaves. */
  public synchronized byte[] rootAt(long size) {
    return tree.rootAt(size);
  }

  public synchronized long size() {
    return tree.size();
  }

  Checkpoint checkpointOf(SignedNote note) {
    return Checkpoint.parseBody(note.text());
  }

  @Override
  public synchronized void close() {
    try {
      tree.sync();
    } finally {
      tree.close();
    }
  }

  static String fileName(long size) {
    return String.format("%020d%s", size, CHECKPOINT_SUFFIX);
  }

  /** The newest checkpoint file (by name: the zero-padded size), or null when there is none. */
  private static Path newestCheckpointFile(FileIo io, Path checkpointDir) {
    List<Path> files = io.list(checkpointDir);
    for (int i = files.size() - 1; i >= 0; i--) {
      Path file = files.get(i);
      if (file.getFileName().toString().endsWith(CHECKPOINT_SUFFIX)) {
        return file;
      }
    }
    return null;
  }

  private SignedNote checkAgainstTree(Path file, SignedNote note) {
    Checkpoint checkpoint = checkpointOf(note);
    if (checkpoint.size() > tree.size()
        || !MessageDigest.isEqual(checkpoint.rootHash(), tree.rootAt(checkpoint.size()))) {
      throw new CorruptionException(
          "checkpoint "
              + file
              + " does not match the log: its tree of "
              + checkpoint.size()
              + " records has a different root, or the log is shorter");
    }
    return note;
  }

  /** The bytes of a checkpoint file; one larger than a signed note may be is corruption. */
  static byte[] readCheckpoint(FileIo io, Path file) {
    try (FileHandle handle = io.open(file, FileIo.Mode.READ)) {
      long size = handle.size();
      if (size > SignedNote.MAX_BYTES) {
        throw new CorruptionException(file + " is " + size + " bytes, too large for a checkpoint");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      handle.read(buffer, 0);
      return buffer.array();
    }
  }

  private void write(Path file, byte[] bytes) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileHandle handle = io.open(temp, FileIo.Mode.CREATE)) {
      handle.truncate(0);
      handle.write(ByteBuffer.wrap(bytes), 0);
      handle.sync();
    }
    io.rename(temp, file);
    io.syncDirectory(file.getParent());
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
