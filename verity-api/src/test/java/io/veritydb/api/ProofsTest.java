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

      TenantHandle t = db.tenant(TenantId.of(1));
      LogPosition before = db.lastPosition();
      t.execute("UPDATE p SET v = 'changed' WHERE id = 5");
      ProvenRows withProofs =
          t.queryWithProof(null, "SELECT id, v FROM p WHERE id IN (1, 5) ORDER BY id");
      assertEquals(2, withProofs.rows().size());
      assertEquals(insert, withProofs.sources().get(0), "row 1 was written by the first insert");
      assertEquals(db.lastPosition(), withProofs.sources().get(1), "row 5 by the update");
      for (LogPosition source : withProofs.sources()) {
        TlogProof p =
            TlogProof.parse(withProofs.proofs().get(source).getBytes(StandardCharsets.UTF_8));
        assertEquals(source.value() - 1, p.index());
        p.verifyLeafData(verifier.name(), List.of(verifier));
      }
      ProvenRows past = t.queryWithProof(before, "SELECT id, v FROM p WHERE id = 5");
      assertEquals("v5", past.rows().get(0).getString("v"));
      assertTrue(past.sources().get(0).isBefore(before) || past.sources().get(0).equals(before));
      assertThrows(BadRequestException.class, () -> t.queryWithProof(null, "SELECT v FROM p"));

      assertThrows(BadRequestException.class, () -> db.proveInclusion(LogPosition.of(10_000)));
      assertThrows(BadRequestException.class, () -> db.proveConsistency(0));
    }
  }
}
