package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.crypto.note.TlogProof;
import io.veritydb.io.FileHandle;
import io.veritydb.io.ForwardingFileHandle;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The disk fills up while a Merkle level file grows: every call that needs the tree then fails with
 * an {@link UnavailableException} naming the level file (never a raw runtime exception), and a
 * reopen once there is space derives the tree from the log again.
 */
class ProofDiskFullTest {
  private static final Path DIR = Path.of("/data");

  /** Fails writes to the Merkle level files once armed, as a full disk does. */
  private static final class FullForMerkle extends ForwardingFileIo {
    volatile boolean full;

    FullForMerkle(SimFileIo disk) {
      super(disk);
    }

    @Override
    public FileHandle open(Path path, Mode mode) {
      FileHandle handle = delegate().open(path, mode);
      if (!path.getFileName().toString().endsWith(".hashes")) {
        return handle;
      }
      return new ForwardingFileHandle(handle) {
        @Override
        public void write(ByteBuffer source, long offset) {
          if (full) {
            throw new UnavailableException("No space left on device");
          }
          super.write(source, offset);
        }
      };
    }
  }

  @Test
  void shouldFailCheckpointsAndProofsWithAClearErrorWhenAMerkleFileCannotGrow() {
    FullForMerkle io = new FullForMerkle(new SimFileIo(5));
    long acknowledged = 0;
    try (Verity db = Verity.builder(DIR).fileIo(io).checkpointEvery(1_000_000).open()) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
      List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
      for (long id = 0; id < 1100; id++) {
        writes.add(t.executeAsync("INSERT INTO t (id) VALUES (?)", id));
      }
      writes.forEach(CompletableFuture::join);
      writes.clear();
      // The files of levels 0 to 10 exist. Level 0 holds 2048 leaf hashes in memory before it
      // writes them; at 2048 leaves, level 11 gets its file. The disk is full before either.
      io.full = true;
      for (long id = 1100; id < 2100; id++) {
        try {
          writes.add(t.executeAsync("INSERT INTO t (id) VALUES (?)", id));
        } catch (UnavailableException stopped) {
          break;
        }
      }
      for (CompletableFuture<ExecuteResult> write : writes) {
        try {
          acknowledged = Math.max(acknowledged, write.join().position().value());
        } catch (CompletionException e) {
          assertTrue(e.getCause() instanceof UnavailableException, e.getCause().toString());
        }
      }
      assertTrue(acknowledged < 2100, "the full disk stopped nothing");

      for (int i = 0; i < 2; i++) {
        expectMerkleFileNamed(db::checkpoint);
        expectMerkleFileNamed(() -> db.proveInclusion(LogPosition.of(2)));
      }
    } catch (VerityException closing) {
      assertTrue(closing instanceof UnavailableException, closing.toString());
    }

    io.full = false;
    try (Verity db = Verity.builder(DIR).fileIo(io).open()) {
      long last = db.lastPosition().value();
      assertTrue(last > acknowledged, "last=" + last + " acknowledged=" + acknowledged);
      NoteVerifier verifier = NoteVerifier.parse(db.verifierKey());
      for (long p : new long[] {1, 2047, 2048, last}) {
        TlogProof proof =
            TlogProof.parse(db.proveInclusion(LogPosition.of(p)).getBytes(StandardCharsets.UTF_8));
        assertEquals(last, proof.verifyLeafData(verifier.name(), List.of(verifier)).size());
      }
    }
  }

  private static void expectMerkleFileNamed(org.junit.jupiter.api.function.Executable call) {
    UnavailableException e = assertThrows(UnavailableException.class, call);
    assertTrue(
        e.getMessage().matches("(?s).*/data/merkle/merkle-\\d\\d\\.hashes.*"), e.getMessage());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
  }
}
