package io.veritydb.api.internal;

import io.veritydb.io.FileIo;
import io.veritydb.kernel.Kernel;
import io.veritydb.storage.Log;
import io.veritydb.store.KeyRange;
import io.veritydb.store.PagedStore;
import io.veritydb.store.StoreCursor;
import io.veritydb.store.StoreOptions;
import io.veritydb.types.LogPosition;
import io.veritydb.types.VerityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The store part of {@link Verifier}: replays the log into a second paged store in a temporary
 * directory (bounded memory however long the log) with the directory's keys, so every record must
 * decrypt and apply, and checks a copy of the store file against it: every page the store's tree
 * reaches passes its checks ({@link PagedStore#readEveryVersion()}), and the store holds exactly
 * the entries of the replay at the store's applied position.
 *
 * <p>The store is derived from the log. When it is marked damaged or missing, the next open
 * rebuilds it, so only the replay runs. Damage found here is reported with the file and the page;
 * moving the store file away makes the next open rebuild it.
 */
final class StoreCheck {
  private static final String REBUILD_HINT =
      " (the store is derived from the log: move the file away and the next open rebuilds it)";

  private final FileIo io;
  private final Path dir;
  private final List<String> checks;
  private final List<String> problems;
  private final BiConsumer<String, Long> progress;
  private long replayed;

  StoreCheck(
      FileIo io,
      Path dir,
      List<String> checks,
      List<String> problems,
      BiConsumer<String, Long> progress) {
    this.io = io;
    this.dir = dir;
    this.checks = checks;
    this.problems = problems;
    this.progress = progress;
  }

  void run(Log log, TenantCrypto keyring) {
    Path storeFile = StoreFile.in(dir);
    Path marker = StoreFile.marker(storeFile);
    boolean compare = true;
    if (io.exists(marker)) {
      checks.add(
          storeFile + " is marked damaged (" + firstLine(marker) + "): the next open rebuilds it");
      compare = false;
    } else if (!io.exists(storeFile)) {
      checks.add("there is no store file " + storeFile + ": the next open rebuilds it");
      compare = false;
    }
    Path copyDir = temporaryDirectory();
    try {
      Path copy = null;
      if (compare) {
        copy = copyDir.resolve("projection.db");
        Files.copy(storeFile, copy);
      }
      replayAndCompare(log, keyring, storeFile, copy, copyDir.resolve("replayed.db"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the store to verify it", e);
    } finally {
      deleteTree(copyDir);
    }
  }

  private void replayAndCompare(
      Log log, TenantCrypto keyring, Path storeFile, Path copy, Path replayedFile) {
    StoreOptions options = StoreOptions.defaults().withCompactOnClose(false);
    try (PagedStore replayed = PagedStore.open(io, replayedFile, options)) {
      PagedStore store = copy == null ? null : openCopy(copy, storeFile, options);
      if (store == null) {
        long count = replay(log, replayed, keyring, log.lastPosition());
        checks.add("every record decrypts and applies (" + count + " records replayed)");
        return;
      }
      try (PagedStore opened = store) {
        LogPosition applied = opened.appliedPosition();
        if (applied.isAfter(log.lastPosition())) {
          problems.add(
              "the store has applied up to "
                  + applied
                  + " but the log ends at "
                  + log.lastPosition()
                  + REBUILD_HINT);
          return;
        }
        long count = replay(log, replayed, keyring, applied);
        try {
          long versions = opened.readEveryVersion();
          checks.add(
              "every page of the store's tree passes its checks (" + versions + " versions)");
          compare(opened, replayed, applied);
        } catch (VerityException e) {
          storeProblem(e, copy, storeFile);
        }
        // The records after the store's position are replayed by the next open: they must apply.
        count += replay(log, replayed, keyring, log.lastPosition());
        checks.add("every record decrypts and applies (" + count + " records replayed)");
      }
    }
  }

  /** The copy of the store, or null when it cannot be opened (reported). */
  private PagedStore openCopy(Path copy, Path storeFile, StoreOptions options) {
    try {
      return PagedStore.open(io, copy, options);
    } catch (VerityException e) {
      storeProblem(e, copy, storeFile);
      return null;
    }
  }

  /** Damage in the copy is damage in the store file: the message names that file. */
  private void storeProblem(VerityException e, Path copy, Path storeFile) {
    problems.add(e.getMessage().replace(copy.toString(), storeFile.toString()) + REBUILD_HINT);
  }

  private long replay(Log log, PagedStore replayed, TenantCrypto keyring, LogPosition upTo) {
    long count =
        Replayer.replayAhead(
            log, replayed, new Kernel(), keyring, false, upTo, "verity-verify-decoder");
    this.replayed += count;
    progress.accept("records replayed to check the store", this.replayed);
    return count;
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
                  + (hasA ? "" : " (missing from the store)")
                  + REBUILD_HINT);
          return;
        }
        entries++;
      }
    }
    checks.add("the store equals a replay of the log at " + at + " (" + entries + " entries)");
  }

  private String firstLine(Path file) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().orElse("no reason given");
    } catch (IOException | UncheckedIOException e) {
      return "cannot read the marker: " + e.getMessage();
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("verity-verify");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory to verify the store", e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporary copy " + dir, e);
    }
  }
}
