package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.KeyException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8032 section 7.1, tests 1 to 3, and the key-pair API. */
class Ed25519Rfc8032Test {
  @ParameterizedTest(name = "RFC 8032 7.1 test {0}")
  @CsvSource({
    "1, 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
        + " d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '',"
        + " e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    "2, 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
        + " 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72,"
        + " 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    "3, c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
        + " fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82,"
        + " 6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
  })
  void shouldMatchRfc8032Vector(
      int test, String secret, String publicKey, String message, String signature) {
    Ed25519KeyPair pair = Ed25519KeyPair.fromPrivateKey(Vectors.hex(secret));
    byte[] msg = Vectors.hex(message);
    assertArrayEquals(Vectors.hex(publicKey), pair.publicKey(), "public key, test " + test);
    assertArrayEquals(Vectors.hex(signature), pair.sign(msg), "signature, test " + test);
    assertTrue(Ed25519.verify(Vectors.hex(publicKey), msg, Vectors.hex(signature)));
    byte[] altered = Vectors.hex(signature);
    altered[5] ^= 1;
    assertFalse(Ed25519.verify(Vectors.hex(publicKey), msg, altered));
  }

  @Test
  void shouldSignAndVerifyWithGeneratedKeyFromInjectedRandomness() {
    SecureRandom random = new SecureRandom();
    Ed25519KeyPair pair = Ed25519.generate(random);
    byte[] message = "checkpoint 42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] signature = pair.sign(message);
    assertTrue(pair.verify(message, signature));
    assertTrue(Ed25519.verify(pair.publicKey(), message, signature));
    assertArrayEquals(signature, Ed25519.sign(pair.privateKey(), message), "deterministic");
    message[0] ^= 1;
    assertFalse(pair.verify(message, signature));
    assertFalse(pair.toString().contains(java.util.HexFormat.of().formatHex(pair.privateKey())));
  }

  @Test
  void shouldRejectSignaturesOfWrongLengthAndKeysOfWrongLength() {
    Ed25519KeyPair pair = Ed25519.generate(new SecureRandom());
    byte[] message = {1, 2, 3};
    byte[] signature = pair.sign(message);
    assertFalse(Ed25519.verify(pair.publicKey(), message, Arrays.copyOf(signature, 63)));
    assertFalse(Ed25519.verify(pair.publicKey(), message, Arrays.copyOf(signature, 65)));
    assertFalse(Ed25519.verify(pair.publicKey(), message, null));
    assertThrows(
        KeyException.class, () -> Ed25519.verify(new byte[31], message, signature), "short key");
    assertThrows(KeyException.class, () -> Ed25519KeyPair.fromPrivateKey(new byte[33]));
  }

  @Test
  void shouldNameTheKeyAndItsLengthWhenTheLengthIsWrong() {
    byte[] message = {1};
    byte[] signature = new byte[Ed25519.SIGNATURE_LENGTH];
    assertEquals(
        "Ed25519 public key must be 32 bytes, was 31 bytes",
        assertThrows(KeyException.class, () -> Ed25519.verify(new byte[31], message, signature))
            .getMessage());
    assertEquals(
        "Ed25519 public key must be 32 bytes, was null",
        assertThrows(KeyException.class, () -> Ed25519.verify(null, message, signature))
            .getMessage());
    assertEquals(
        "Ed25519 private key must be 32 bytes, was 33 bytes",
        assertThrows(KeyException.class, () -> Ed25519KeyPair.fromPrivateKey(new byte[33]))
            .getMessage());
  }

  @Test
  void shouldRejectMessageSlicesOutsideTheArray() {
    Ed25519KeyPair pair = Ed25519.generate(new SecureRandom());
    byte[] message = {1, 2, 3, 4};
    byte[] signature = pair.sign(message, 1, 3);
    assertTrue(Ed25519.verify(pair.publicKey(), message, 1, 3, signature));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pair.sign(message, 2, 3));
    assertEquals("illegal arguments: offset=2 length=3", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Ed25519.verify(pair.publicKey(), message, -1, 2, signature));
    assertEquals("illegal arguments: offset=-1 length=2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> pair.sign(null, 0, 0));
    assertEquals("message must not be null", e.getMessage());
  }
}
