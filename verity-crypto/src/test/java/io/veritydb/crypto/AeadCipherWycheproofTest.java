package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veritydb.types.KeyException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every case of Wycheproof's chacha20_poly1305_test.json, through {@link AeadCipher}. */
class AeadCipherWycheproofTest {
  @Test
  void shouldDecryptAndEncryptEveryValidCaseAndRejectEveryInvalidOne() {
    JsonNode file = Vectors.load("wycheproof_chacha20_poly1305_test.json");
    AeadCipher cipher = new AeadCipher();
    int total = 0;
    int invalid = 0;
    for (JsonNode group : file.get("testGroups")) {
      for (JsonNode c : group.get("tests")) {
        total++;
        String id = "tcId " + c.get("tcId").asInt() + " " + c.get("comment").asText();
        byte[] key = Vectors.hex(c.get("key"));
        byte[] nonce = Vectors.hex(c.get("iv"));
        byte[] aad = Vectors.hex(c.get("aad"));
        byte[] msg = Vectors.hex(c.get("msg"));
        byte[] ct = Vectors.hex(c.get("ct"));
        byte[] tag = Vectors.hex(c.get("tag"));
        byte[] sealed = Arrays.copyOf(ct, ct.length + tag.length);
        System.arraycopy(tag, 0, sealed, ct.length, tag.length);
        if (c.get("result").asText().equals("valid")) {
          assertArrayEquals(msg, cipher.decrypt(key, nonce, aad, sealed), id + " decrypt");
          // A fresh engine: BouncyCastle (rightly) refuses to encrypt twice under one key and
          // nonce.
          assertArrayEquals(
              sealed, new AeadCipher().encrypt(key, nonce, aad, msg), id + " encrypt");
        } else {
          invalid++;
          KeyException e =
              assertThrows(KeyException.class, () -> cipher.decrypt(key, nonce, aad, sealed), id);
          assertTrue(e.getMessage().startsWith("ChaCha20-Poly1305"), id + ": " + e.getMessage());
          if (nonce.length != AeadCipher.NONCE_LENGTH) {
            assertTrue(e.getMessage().contains("nonce"), id + ": " + e.getMessage());
            assertThrows(
                KeyException.class, () -> new AeadCipher().encrypt(key, nonce, aad, msg), id);
          }
        }
      }
    }
    assertEquals(file.get("numberOfTests").asInt(), total, "every case ran");
    assertTrue(invalid > 0);
  }

  @Test
  void shouldRejectTruncatedCiphertextAndWrongKeyLengthWithClearErrors() {
    AeadCipher cipher = new AeadCipher();
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    KeyException shortCt =
        assertThrows(KeyException.class, () -> cipher.decrypt(key, nonce, null, new byte[15]));
    assertTrue(shortCt.getMessage().contains("tag"), shortCt.getMessage());
    KeyException shortKey =
        assertThrows(
            KeyException.class, () -> cipher.encrypt(new byte[16], nonce, null, new byte[1]));
    assertTrue(shortKey.getMessage().contains("key must be 32 bytes"), shortKey.getMessage());
  }

  @Test
  void shouldRefuseToEncryptTwiceUnderTheSameKeyAndNonce() {
    AeadCipher cipher = new AeadCipher();
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    cipher.encrypt(key, nonce, null, new byte[] {1});
    KeyException e =
        assertThrows(KeyException.class, () -> cipher.encrypt(key, nonce, null, new byte[] {2}));
    assertTrue(e.getMessage().contains("nonce"), e.getMessage());
  }
}
