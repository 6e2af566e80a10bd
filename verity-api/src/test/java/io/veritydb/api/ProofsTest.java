package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.crypto.merkle.MerkleVerifier;
import io.veritydb.crypto.merkle.ProofText;
import io.veritydb.crypto.note.Checkpoint;
import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.crypto.note.TlogProof;
import io.veritydb.types.BadRequestException;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed checkpoints and Merkle proofs checked with the stand-alone verifier classes only. */
class ProofsTest {
  @TempDir Path dir;

  @Test
  void shouldProveInclusionAndConsistencyAgainstSignedCheckpoints() {
    String vkey;
    String early;
    LogPosition insert;
    try (Verity db = Verity.open(dir)) {
      vkey = db.verifierKey();
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, v TEXT)");
      insert = t.execute("INSERT INTO p (id, v) VALUES (1, 'a')").position();
      early = db.checkpoint();
      for (int i = 2; i < 40; i++) {
        t.execute("INSERT INTO p (id, v) VALUES (?, ?)", (long) i, "v" + i);
      }
    }
    try (Verity db = Verity.open(dir)) {
      assertEquals(vkey, db.verifierKey(), "the signing key must survive a reopen");
      NoteVerifier verifier = NoteVerifier.parse(vkey);
      String latest = db.latestCheckpoint();
      assertNotNull(latest, "close must leave a signed checkpoint");
      Checkpoint newest =
          Checkpoint.open(
              latest.getBytes(StandardCharsets.UTF_8), verifier.name(), List.of(verifier));
      assertEquals(db.lastPosition().value(), newest.size());
      assertTrue(newest.chainHash().isPresent());

      TlogProof proof = TlogProof.parse(db.proveInclusion(insert).getBytes(StandardCharsets.UTF_8));
      assertEquals(insert.value() - 1, proof.index());
      Checkpoint proven = proof.verifyLeafData(verifier.name(), List.of(verifier));
      assertEquals(newest.size(), proven.size());

      Checkpoint old =
          Checkpoint.open(
              early.getBytes(StandardCharsets.UTF_8), verifier.name(), List.of(verifier));
      List<byte[]> consistency = ProofText.parse(db.proveConsistency(old.size()));
      assertTrue(
          MerkleVerifier.verifyConsistency(
              old.size(), newest.size(), consistency, old.rootHash(), newest.rootHash()));
      byte[] otherRoot = old.rootHash();
      otherRoot[0] ^= 1;
      assertFalse(
          MerkleVerifier.verifyConsistency(
              old.size(), newest.size(), consistency, otherRoot, newest.rootHash()));
      assertArrayEquals(newest.rootHash(), proven.rootHash());

      assertThrows(BadRequestException.class, () -> db.proveInclusion(LogPosition.of(10_000)));
      assertThrows(BadRequestException.class, () -> db.proveConsistency(0));
    }
  }
}
