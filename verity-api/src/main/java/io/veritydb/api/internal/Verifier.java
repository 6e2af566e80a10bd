package io.veritydb.api.internal;

import io.veritydb.api.VerificationReport;
import io.veritydb.crypto.Ed25519KeyPair;
import io.veritydb.crypto.merkle.MerkleHash;
import io.veritydb.crypto.merkle.MerkleTree;
import io.veritydb.crypto.note.Checkpoint;
import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.kernel.Kernel;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogCursor;
import io.veritydb.storage.LogOptions;
import io.veritydb.storage.LogRecord;
import io.veritydb.storage.VerifyReport;
import io.veritydb.store.KeyRange;
import io.veritydb.store.PagedStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.ChainHash;
import io.veritydb.types.LogPosition;
import io.veritydb.types.VerityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Offline verification of a closed data directory; changes nothing in it. Checks every record's CRC
 * and the whole BLAKE3 chain, recomputes the RFC 6962 Merkle tree from the records, checks every
 * signed checkpoint (signature, root, chain hash, size), and checks that the store equals a replay
 * of the log.
 */
public final class Verifier {
  private static final int PROGRESS_EVERY = 100_000;

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
   * shows as checkpoints that no longer verify). {@code progress} receives (phase, count).
   */
  public static VerificationReport verify(
      Path dir, String trustedVerifierKey, BiConsumer<String, Long> progress) {
    return new Verifier(dir, progress).run(trustedVerifierKey);
  }

  private VerificationReport run(String trustedVerifierKey) {
    Path logDir = dir.resolve("log");
    if (!io.exists(logDir)) {
      problems.add("no log directory at " + logDir + ": not a VerityDB data directory");
      return report(0, 0, 0);
    }
    VerifyReport logReport =
        Log.verify(io, logDir, Math.max(1, Runtime.getRuntime().availableProcessors()));
    if (logReport.damage().isPresent()) {
      problems.add(logReport.damage().get().describe());
      return report(logReport.lastGoodPosition().value(), 0, 0);
    }
    checks.add(
        "CRC32C of every record and the BLAKE3 chain through position "
            + logReport.lastGoodPosition().value());

    List<Path> checkpointFiles = checkpointFiles();
    TreeMap<Long, ChainHash> chainAt = new TreeMap<>();
    MerkleTree tree = MerkleTree.inMemory();
    long records = 0;
    long bytes = 0;
    LogOptions readOnly = LogOptions.builder().readOnly(true).parallelism(1).build();
    try (Log log = Log.open(io, logDir, readOnly);
        LogCursor cursor = log.iterate(LogPosition.of(1))) {
      List<Long> sizes = new ArrayList<>();
      for (Path file : checkpointFiles) {
        sizes.add(sizeFromName(file));
      }
      while (cursor.next()) {
        LogRecord record = cursor.record();
        byte[] stored = record.storedBytes();
        tree.append(MerkleHash.leafHash(stored));
        records++;
        bytes += stored.length;
        if (sizes.contains(record.position().value())) {
          chainAt.put(record.position().value(), record.chainHash());
        }
        if (records % PROGRESS_EVERY == 0) {
          progress.accept("records hashed into the Merkle tree", records);
        }
      }
      progress.accept("records hashed into the Merkle tree", records);
      checks.add("RFC 6962 Merkle tree recomputed over " + records + " records");
      checkpointsChecked = verifyCheckpoints(checkpointFiles, trustedVerifierKey, tree, chainAt);
      verifyStore(log);
      return report(records, bytes, checkpointsChecked);
    } catch (VerityException e) {
      problems.add(e.getMessage());
      return report(records, bytes, checkpointsChecked);
    }
  }

  private int verifyCheckpoints(
      List<Path> files, String trustedKey, MerkleTree tree, Map<Long, ChainHash> chainAt) {
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
        Checkpoint checkpoint = Checkpoint.open(read(file), verifier.name(), List.of(verifier));
        long size = checkpoint.size();
        if (size != sizeFromName(file)) {
          problems.add(
              file
                  + ": the file name says tree size "
                  + sizeFromName(file)
                  + " but it holds "
                  + size);
        } else if (size > tree.size()) {
          problems.add(
              file
                  + ": signed for "
                  + size
                  + " records but the log has only "
                  + tree.size()
                  + ": records were removed from the log");
        } else if (!MessageDigest.isEqual(checkpoint.rootHash(), tree.rootAt(size))) {
          problems.add(
              file
                  + ": the Merkle root of the first "
                  + size
                  + " records differs from the signed one: the log's history was changed");
        } else if (checkpoint.chainHash().isPresent()
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

  private NoteVerifier keyFromDirectory() {
    Path keyFile = dir.resolve("keys").resolve("signing.key");
    return ProofLog.signerFor(Ed25519KeyPair.load(keyFile)).verifier();
  }

  /**
   * Replays the log into a second store in a temporary directory (a paged store, so memory stays
   * bounded however long the log) and compares it with a copy of the store, key by key.
   */
  private void verifyStore(Log log) {
    Path storeFile = StoreFile.in(dir);
    if (!io.exists(storeFile)) {
      problems.add("the store file " + storeFile + " is missing");
      return;
    }
    Path copyDir;
    try {
      copyDir = Files.createTempDirectory("verity-verify");
      Files.copy(storeFile, copyDir.resolve("projection.db"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the store to verify it", e);
    }
    try (PagedStore store =
            PagedStore.open(io, copyDir.resolve("projection.db"), StoreOptions.defaults());
        PagedStore replayed =
            PagedStore.open(
                io,
                copyDir.resolve("replayed.db"),
                StoreOptions.defaults().withCompactOnClose(false))) {
      LogPosition applied = store.appliedPosition();
      if (applied.isAfter(log.lastPosition())) {
        problems.add(
            "the store has applied up to "
                + applied
                + " but the log ends at "
                + log.lastPosition());
        return;
      }
      long count;
      try (TenantCrypto keyring =
          io.exists(dir.resolve("keys")) ? TenantCrypto.open(io, dir, null, false) : null) {
        count =
            Replayer.replayAhead(
                log, replayed, new Kernel(), keyring, false, applied, "verity-verify-decoder");
      }
      progress.accept("records replayed to check the store", count);
      compare(store, replayed, applied);
    } finally {
      deleteQuietly(copyDir);
    }
  }

  private void compare(PagedStore store, PagedStore replayed, LogPosition at) {
    long entries = 0;
    try (StoreCursor a = store.scan(KeyRange.ALL, false, Integer.MAX_VALUE);
        StoreCursor b = replayed.scan(KeyRange.ALL, false, Integer.MAX_VALUE)) {
      while (true) {
        boolean hasA = a.next();
        boolean hasB = b.next();
        if (!hasA && !hasB) {
          break;
        }
        if (hasA != hasB
            || !Arrays.equals(a.key(), b.key())
            || !Arrays.equals(a.value(), b.value())) {
          byte[] key = hasA ? a.key() : b.key();
          problems.add(
              "the store differs from a replay of the log at "
                  + at
                  + ", key "
                  + HexFormat.of().formatHex(key)
                  + (hasA ? "" : " (missing from the store)"));
          return;
        }
        entries++;
      }
    }
    checks.add("the store equals a replay of the log at " + at + " (" + entries + " entries)");
  }

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

  private byte[] read(Path file) {
    try (FileHandle handle = io.open(file, FileIo.Mode.READ)) {
      long size = handle.size();
      if (size > 1 << 20) {
        throw new io.veritydb.types.CorruptionException(file + " is too large for a checkpoint");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      handle.read(buffer, 0);
      return buffer.array();
    }
  }

  private VerificationReport report(long records, long bytes, int checkpoints) {
    return new VerificationReport(records, bytes, checkpoints, checks, problems);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporary copy " + dir, e);
    }
  }
}
