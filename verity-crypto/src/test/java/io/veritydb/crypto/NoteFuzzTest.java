package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veritydb.crypto.merkle.MerkleTree;
import io.veritydb.crypto.note.Checkpoint;
import io.veritydb.crypto.note.NoteException;
import io.veritydb.crypto.note.NoteSigner;
import io.veritydb.crypto.note.NoteVerifier;
import io.veritydb.crypto.note.SignedNote;
import io.veritydb.crypto.note.TlogProof;
import io.veritydb.io.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz targets of the checkpoint notes a database directory holds and a verifier is handed: signed
 * notes, checkpoint bodies, verifier keys and tlog proofs, as mutated valid texts (byte mutations,
 * and the formats' own separators and keywords inserted or written over) and random bytes. Each
 * parses to something that encodes back to exactly the input (every format is canonical), or fails
 * with {@link NoteException}: never another exception.
 */
class NoteFuzzTest {
  private static final String ORIGIN = "veritydb.example/db1";
  private static final NoteSigner LOG = signer(ORIGIN, 3);
  private static final NoteSigner WITNESS = signer("witness.example", 4);
  private static final List<NoteVerifier> TRUSTED = List.of(LOG.verifier());
  private static final int LEAVES = 11;
  private static final MerkleTree TREE = tree();

  private static final List<byte[]> TOKENS =
      Arrays.stream(
              new String[] {
                "\n",
                "\n\n",
                "\u2014 ",
                " ",
                "+",
                "=",
                "0",
                "9",
                "-",
                "a",
                "\u00e9",
                "\uFF10",
                "veritydb chain ",
                "veritydb time-us ",
                "index ",
                "extra ",
                TlogProof.HEADER + "\n",
                "\r"
              })
          .map(s -> s.getBytes(StandardCharsets.UTF_8))
          .toList();

  private static NoteSigner signer(String name, int seedByte) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) seedByte);
    return NoteSigner.ed25519(name, Ed25519KeyPair.fromPrivateKey(seed));
  }

  private static MerkleTree tree() {
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < LEAVES; i++) {
      tree.appendLeafData(leaf(i));
    }
    return tree;
  }

  private static byte[] leaf(int i) {
    return ("record " + i).getBytes(StandardCharsets.UTF_8);
  }

  private static Checkpoint checkpoint(int variant) {
    byte[] chain = new byte[32];
    Arrays.fill(chain, (byte) variant);
    return variant % 3 == 0
        ? Checkpoint.of(ORIGIN, LEAVES, TREE.root(), List.of("other.example/ext 1"))
        : Checkpoint.veritydb(ORIGIN, LEAVES, TREE.root(), chain, 1_700_000_000_000_000L + variant);
  }

  private static SignedNote signed(int variant) {
    List<NoteSigner> signers = variant % 2 == 0 ? List.of(LOG) : List.of(WITNESS, LOG);
    return checkpoint(variant).sign(signers);
  }

  private static Arbitrary<Integer> variants() {
    return Arbitraries.integers().between(0, 5);
  }

  private static Arbitrary<byte[]> inputs(Arbitrary<byte[]> valid) {
    return Mutations.inputs(valid, 4, 120, TOKENS);
  }

  @Provide
  Arbitrary<byte[]> signedNotes() {
    return inputs(variants().map(v -> signed(v).toBytes()));
  }

  @Provide
  Arbitrary<byte[]> checkpointBodies() {
    return inputs(variants().map(v -> checkpoint(v).body().getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<byte[]> verifierKeys() {
    return inputs(
        Arbitraries.of(LOG, WITNESS)
            .map(s -> s.verifier().encode().getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<byte[]> proofs() {
    return inputs(
        Arbitraries.integers()
            .between(0, LEAVES - 1)
            .map(
                i ->
                    TlogProof.of(leaf(i), i, TREE.inclusionProof(i, LEAVES), signed(i % 2))
                        .toBytes()));
  }

  @Property(tries = 2000)
  void signedCheckpointOpensOrIsNoteException(@ForAll("signedNotes") byte[] note) {
    SignedNote parsed;
    try {
      parsed = SignedNote.parse(note);
    } catch (NoteException e) {
      return;
    }
    assertArrayEquals(note, parsed.toBytes());
    Checkpoint c;
    try {
      c = Checkpoint.open(note, ORIGIN, TRUSTED);
    } catch (NoteException e) {
      return;
    }
    assertEquals(parsed.text(), c.body());
    c.chainHash();
    c.timeMicros();
  }

  @Property(tries = 2000)
  void checkpointBodyParsesOrIsNoteException(@ForAll("checkpointBodies") byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    Checkpoint c;
    try {
      c = Checkpoint.parseBody(text);
    } catch (NoteException e) {
      return;
    }
    assertEquals(text, c.body());
    c.chainHash();
    c.timeMicros();
  }

  @Property(tries = 2000)
  void verifierKeyParsesOrIsNoteException(@ForAll("verifierKeys") byte[] vkey) {
    String text = new String(vkey, StandardCharsets.UTF_8);
    NoteVerifier v;
    try {
      v = NoteVerifier.parse(text);
    } catch (NoteException e) {
      return;
    }
    assertEquals(text, v.encode());
  }

  @Property(tries = 1000)
  void tlogProofParsesOrIsNoteException(@ForAll("proofs") byte[] proof) {
    TlogProof parsed;
    try {
      parsed = TlogProof.parse(proof);
    } catch (NoteException e) {
      return;
    }
    assertArrayEquals(proof, parsed.toBytes());
    try {
      parsed.verifyLeafData(ORIGIN, TRUSTED);
    } catch (NoteException e) {
      // a proof that parses but does not verify: the documented outcome
    }
  }
}
