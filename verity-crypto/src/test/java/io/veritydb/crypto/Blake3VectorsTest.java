package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** All 35 cases of the official BLAKE3 vectors, in all three modes, full extended output. */
class Blake3VectorsTest {
  private static final JsonNode VECTORS = Vectors.load("blake3.json");

  private static byte[] input(int length) {
    byte[] in = new byte[length];
    for (int i = 0; i < length; i++) {
      in[i] = (byte) (i % 251);
    }
    return in;
  }

  private static void checkMode(Blake3 blake3, String mode) {
    int cases = 0;
    for (JsonNode c : VECTORS.get("cases")) {
      int length = c.get("input_len").asInt();
      byte[] in = input(length);
      byte[] expected = Vectors.hex(c.get(mode));
      String what = mode + " input_len=" + length;
      assertArrayEquals(
          expected, blake3.hashXof(in, 0, length, expected.length), what + " (extended output)");
      assertArrayEquals(
          Arrays.copyOf(expected, Blake3.LENGTH), blake3.hash(in, 0, length), what + " (32 bytes)");
      // Incremental, in uneven pieces, through the same (reused) instance.
      blake3.reset();
      int at = 0;
      int piece = 1;
      while (at < length) {
        int n = Math.min(piece, length - at);
        blake3.update(in, at, n);
        at += n;
        piece = piece * 3 + 1;
      }
      byte[] out = new byte[Blake3.LENGTH];
      blake3.finish(out, 0);
      assertArrayEquals(Arrays.copyOf(expected, Blake3.LENGTH), out, what + " (incremental)");
      cases++;
    }
    assertEquals(35, cases, "the vector file holds 35 cases");
  }

  @Test
  void plainHashMatchesAllVectors() {
    checkMode(new Blake3(), "hash");
  }

  @Test
  void keyedHashMatchesAllVectors() {
    byte[] key = VECTORS.get("key").asText().getBytes(StandardCharsets.US_ASCII);
    checkMode(Blake3.keyed(key), "keyed_hash");
  }

  @Test
  void deriveKeyMatchesAllVectors() {
    checkMode(Blake3.deriveKey(VECTORS.get("context_string").asText()), "derive_key");
  }

  @Test
  void chainIsBlake3OfPreviousAndDigest() {
    Blake3 blake3 = new Blake3();
    byte[] digest = blake3.hash(input(1000), 0, 1000);
    byte[] pair = new byte[64];
    Blake3.GENESIS.copyTo(pair, 0);
    System.arraycopy(digest, 0, pair, 32, 32);
    byte[] expected = blake3.hash(pair, 0, 64);
    assertArrayEquals(expected, blake3.chain(Blake3.GENESIS, digest).toBytes());
    // The step is deterministic and independent of earlier use of the instance.
    assertEquals(blake3.chain(Blake3.GENESIS, digest), new Blake3().chain(Blake3.GENESIS, digest));
  }

  @Test
  void genesisIsBlake3OfTheDocumentedSeed() {
    byte[] seed = "veritydb.log.genesis.v1".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(new Blake3().hash(seed, 0, seed.length), Blake3.GENESIS.toBytes());
    assertEquals(GENESIS_HEX, Blake3.GENESIS.toHex(), "GENESIS must never change");
  }

  static final String GENESIS_HEX =
      "7127a53c51f06f27456f724fb45dde7885b359a41f46ec258e82c762db45fbbe";
}
