package io.veritydb.api.internal;

import io.veritydb.api.VerificationReport;
import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.merkle.MerkleFileCheck;
import io.veritydb.crypto.merkle.MerkleHash;
import io.veritydb.crypto.note.Checkpoint;
import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.crypto.note.SignedNote;
import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogCursor;
import io.veritydb.storage.LogOptions;
import io.veritydb.storage.LogRecord;
import io.veritydb.storage.VerifyReport;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import io.veritydb.types.VerityException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Offline verification of a closed data directory; changes nothing in it. It trusts no file that is
 * derived from the log: each is checked against the log, or is rebuilt from it by the next open.
 *
 * <ul>
 *   <li>{@code log/}: every record's CRC and the whole BLAKE3 chain; every chain mark in {@code
 *       marks.dat} (its checksum, and its chain hash against the chain at its position), or in
 *       {@code checkpoints.dat}, read where it is, in a directory written before the file had its
 *       name.
 *   <li>{@code merkle/}: every stored node against the RFC 6962 tree recomputed from the records
 *       ({@link MerkleFileCheck}).
 *   <li>{@code checkpoints/}: every signed checkpoint (signature, size, root, chain hash).
 *   <li>{@code keys/}: the signing key (against the trusted verifier key when one is given), the
 *       master key and the key store (checksums; the master key opens the tenant keys; every record
 *       decrypts).
 *   <li>{@code store/projection.db}: every page its tree reaches, and its entries against a replay
 *       of the log ({@link StoreCheck}).
 * </ul>
 *
 * <p>It holds the directory's lock (shared) while it runs: it refuses a database that is open, in
 * this process or another, and an open of the directory is refused until it ends.
 */
public final class Verifier {
  private static final int PROGRESS_EVERY = 100_000;

  /** An entry of {@code log/marks.dat}: see {@code ChainMarks} in verity-storage. */
  private static final int CHAIN_MARK_ENTRY = 52;

  private static final String MERKLE_HINT =
      " (the Merkle files are derived from the log: remove the merkle directory and the next open"
          + " rebuilds them)";

  private final Path dir;
  private final FileIo io = NioFileIo.INSTANCE;
  private final BiConsumer<String, Long> progress;
  private final List<String> checks = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private int checkpointsChecked;

  private Verifier(Path dir, BiConsumer<String, Long> progress) {
    this.dir = dir;
    this.progress = progress;
  }

  /**
   * Verifies {@code dir}. {@code trustedVerifierKey} is the published C2SP verifier key; when null
   * the key is derived from {@code keys/signing.key} in the directory (then a replaced key file
   * shows as checkpoints that no longer verify). {@code progress} receives (phase, count); null for
   * no progress reports.
   *
   * @throws BadRequestException when {@code dir} does not exist, is not a directory, cannot be
   *     read, or has no {@code log/} directory
   * @throws io.veritydb.types.UnavailableException when the database is open (in this process or
   *     another): verifying files that are being written would report damage that is not there
   */
  public static VerificationReport verify(
      Path dir, String trustedVerifierKey, BiConsumer<String, Long> progress) {
    Checks.checkNotNull(dir, "dir");
    String problem = DataDirectory.problemForReading(dir);
    if (problem != null) {
      throw new BadRequestException(problem);
    }
    DirectoryLock lock = DirectoryLock.acquireForReading(dir);
    try {
      return new Verifier(dir, progress == null ? (phase, count) -> {} : progress)
          .run(trustedVerifierKey);
    } finally {
      lock.close();
    }
  }

  private VerificationReport run(String trustedKey) {
    Path logDir = dir.resolve("log");
    VerifyReport logReport;
    try {
      logReport = Log.verify(io, logDir, Math.max(1, Runtime.getRuntime().availableProcessors()));
    } catch (VerityException e) {
      problems.add(e.getMessage());
      return report(0, 0);
    }
    if (logReport.damage().isPresent()) {
      problems.add(logReport.damage().get().describe());
      return report(logReport.lastGoodPosition().value(), 0);
    }
    checks.add(
        "CRC32C of every record and the BLAKE3 chain through position "
            + logReport.lastGoodPosition().value());
    checkChainMarks(logReport.marksFile(), logReport.marks().size());

    List<Path> noteFiles = checkpointFiles();
    Set<Long> noteSizes = new HashSet<>();
    for (Path file : noteFiles) {
      noteSizes.add(sizeFromName(file));
    }
    Map<Long, byte[]> rootAt = new HashMap<>();
    Map<Long, ChainHash> chainAt = new HashMap<>();
    long records = 0;
    long bytes = 0;
    LogOptions readOnly = LogOptions.builder().readOnly(true).parallelism(1).build();
    try (Log log = Log.open(io, logDir, readOnly);
        MerkleFileCheck merkle =
            MerkleFileCheck.open(io, dir.resolve("merkle"), syncedLeaves(noteFiles));
        LogCursor cursor = log.iterate(LogPosition.of(1))) {
      while (cursor.next()) {
        LogRecord record = cursor.record();
        byte[] stored = record.storedBytes();
        merkle.append(MerkleHash.leafHash(stored));
        records++;
        bytes += stored.length;
        if (noteSizes.contains(records)) {
          rootAt.put(records, merkle.root());
          chainAt.put(records, record.chainHash());
        }
        if (records % PROGRESS_EVERY == 0) {
          progress.accept("records hashed into the Merkle tree", records);
        }
      }
      progress.accept("records hashed into the Merkle tree", records);
      checks.add("RFC 6962 Merkle tree recomputed over " + records + " records");
      checkMerkleFiles(merkle);
      checkpointsChecked = verifyCheckpoints(noteFiles, trustedKey, records, rootAt, chainAt);
      checkSigningKey(trustedKey, noteFiles);
      try (TenantCrypto keyring =
          io.exists(dir.resolve("keys")) ? TenantCrypto.open(io, dir, null, false) : null) {
        if (keyring != null) {
          checks.add("the master key opens the key store keys/keys.vks");
        }
        new StoreCheck(io, dir, checks, problems, progress).run(log, keyring);
      }
    } catch (VerityException e) {
      problems.add(e.getMessage());
    }
    return report(records, bytes);
  }

  /**
   * Recovery has checked every whole entry of the chain mark file (checksum, increasing positions,
   * chain hash against the chain); a read-only open skips a damaged last entry, which a writable
   * open cuts off as an interrupted mark. Here a damaged last entry is reported.
   */
  private void checkChainMarks(Path file, int entries) {
    if (!io.exists(file)) {
      return;
    }
    long size;
    try (FileHandle handle = io.open(file, FileIo.Mode.READ)) {
      size = handle.size();
    }
    long valid = (long) entries * CHAIN_MARK_ENTRY;
    if (size != valid) {
      problems.add(
          file
              + ": the entry at byte offset "
              + valid
              + (size - valid < CHAIN_MARK_ENTRY ? " is incomplete" : " fails its checksum")
              + " (a chain mark interrupted by a crash, which the next open cuts off, or"
              + " damage)");
      return;
    }
    checks.add(
        entries + " chain marks in " + file + " (position and chain hash against the chain)");
  }

  private void checkMerkleFiles(MerkleFileCheck merkle) {
    List<String> found = merkle.finish();
    for (String problem : found) {
      problems.add(problem + MERKLE_HINT);
    }
    if (found.isEmpty()) {
      checks.add(
          "the Merkle level files hold the recomputed tree: "
              + merkle.nodesChecked()
              + " nodes compared"
              + (merkle.missingNodes() == 0
                  ? ""
                  : ", " + merkle.missingNodes() + " not stored (the next open derives them)"));
    }
  }

  /** The leaves the open trusts unread in the Merkle files: the newest checkpoint's tree size. */
  private long syncedLeaves(List<Path> noteFiles) {
    if (noteFiles.isEmpty()) {
      return 0;
    }
    try {
      SignedNote newest =
          SignedNote.parse(ProofLog.readCheckpoint(io, noteFiles.get(noteFiles.size() - 1)));
      return Checkpoint.parseBody(newest.text()).size();
    } catch (VerityException e) {
      return 0; // reported with the checkpoints; then the open fails before it trusts anything
    }
  }

  private int verifyCheckpoints(
      List<Path> files,
      String trustedKey,
      long treeSize,
      Map<Long, byte[]> rootAt,
      Map<Long, ChainHash> chainAt) {
    NoteVerifier verifier;
    try {
      verifier = trustedKey != null ? NoteVerifier.parse(trustedKey) : keyFromDirectory();
    } catch (VerityException e) {
      problems.add("cannot get the verifier key: " + e.getMessage());
      return 0;
    }
    int count = 0;
    for (Path file : files) {
      try {
        Checkpoint checkpoint =
            Checkpoint.open(ProofLog.readCheckpoint(io, file), verifier.name(), List.of(verifier));
        long size = checkpoint.size();
        if (size != sizeFromName(file)) {
          problems.add(
              file
                  + ": the file name says tree size "
                  + sizeFromName(file)
                  + " but it holds "
                  + size);
        } else if (size > treeSize) {
          problems.add(
              file
                  + ": signed for "
                  + size
                  + " records but the log has only "
                  + treeSize
                  + ": records were removed from the log");
        } else if (!MessageDigest.isEqual(checkpoint.rootHash(), rootAt(size, rootAt))) {
          problems.add(
              file
                  + ": the Merkle root of the first "
                  + size
                  + " records differs from the signed one: the log's history was changed");
        } else if (checkpoint.chainHash().isPresent()
            && size > 0
            && !Arrays.equals(checkpoint.chainHash().get(), chainAt.get(size).toBytes())) {
          problems.add(
              file + ": the chain hash at position " + size + " differs from the signed one");
        }
        count++;
      } catch (VerityException e) {
        problems.add(file + ": " + e.getMessage());
      }
    }
    checks.add(
        count + " signed checkpoints (signature by " + verifier.name() + ", root, chain hash)");
    return count;
  }

  private static byte[] rootAt(long size, Map<Long, byte[]> rootAt) {
    return size == 0 ? MerkleHash.emptyRoot() : rootAt.get(size);
  }

  /**
   * With a trusted verifier key, the directory's signing key must be its key: the open checks the
   * newest checkpoint with the directory's key and signs new ones with it.
   */
  private void checkSigningKey(String trustedKey, List<Path> noteFiles) {
    if (trustedKey == null) {
      return; // the checkpoints were verified with the directory's key itself
    }
    Path keyFile = signingKeyFile();
    if (!io.exists(keyFile)) {
      if (!noteFiles.isEmpty()) {
        problems.add(
            keyFile
                + " is missing: an open would make a new key, which cannot verify the newest"
                + " checkpoint, and fail");
      }
      return;
    }
    try {
      NoteVerifier own = keyFromDirectory();
      if (!own.encode().equals(NoteVerifier.parse(trustedKey).encode())) {
        problems.add(
            keyFile
                + " is the key of "
                + own.encode()
                + ", not of the trusted verifier key: the database's checkpoints would not verify"
                + " with it");
        return;
      }
      checks.add(keyFile + " is the key of the trusted verifier key");
    } catch (VerityException e) {
      problems.add("cannot load the signing key: " + e.getMessage());
    }
  }

  private NoteVerifier keyFromDirectory() {
    return ProofLog.signerFor(Ed25519KeyPair.load(signingKeyFile())).verifier();
  }

  private Path signingKeyFile() {
    return dir.resolve("keys").resolve("signing.key");
  }

  /** The checkpoint files, sorted by name: the zero-padded tree size. */
  private List<Path> checkpointFiles() {
    Path checkpointDir = dir.resolve("checkpoints");
    List<Path> files = new ArrayList<>();
    if (!io.exists(checkpointDir)) {
      return files;
    }
    for (Path file : io.list(checkpointDir)) {
      if (file.getFileName().toString().endsWith(ProofLog.CHECKPOINT_SUFFIX)) {
        files.add(file);
      }
    }
    return files;
  }

  private static long sizeFromName(Path file) {
    String name = file.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - ProofLog.CHECKPOINT_SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private VerificationReport report(long records, long bytes) {
    return new VerificationReport(records, bytes, checkpointsChecked, checks, problems);
  }
}
