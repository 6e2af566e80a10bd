package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {
  private static final TenantId T1 = TenantId.of(1);
  private static final TenantId T2 = TenantId.of(2);
  private static final byte[] AAD = "position 17".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "Ada, ward 3".getBytes(StandardCharsets.UTF_8);

  private static EnvelopeCipher cipher(KeyStore store) {
    return new EnvelopeCipher(new KeyManager(store, TestKeys.provider(1), new SecureRandom()));
  }

  private static void assertMessage(KeyException e, String expected) {
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void shouldRoundTripWithSelfDescribingHeader() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    byte[] envelope = cipher.encrypt(T1, DATA, AAD);
    assertEquals(DATA.length + EnvelopeCipher.OVERHEAD, envelope.length);
    assertEquals(1, envelope[0], "format byte");
    assertEquals(1, EnvelopeCipher.keyVersionOf(envelope));
    assertArrayEquals(DATA, cipher.decrypt(T1, envelope, AAD));
    assertArrayEquals(new byte[0], cipher.decrypt(T1, cipher.encrypt(T1, new byte[0], null), null));
  }

  @Test
  void shouldSealAPreparedEnvelopeOnAnotherThreadExactlyOnce() throws InterruptedException {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    EnvelopeCipher.Sealing first = cipher.prepare(T1, DATA, 0, DATA.length, AAD);
    EnvelopeCipher.Sealing second = cipher.prepare(T1, DATA, 0, DATA.length, AAD);
    byte[] handedOn = first.envelope();
    assertEquals(1, EnvelopeCipher.keyVersionOf(handedOn), "the header is written at prepare");
    Thread sealer = new Thread(first::seal);
    sealer.start();
    sealer.join();
    assertArrayEquals(DATA, cipher.decrypt(T1, handedOn, AAD), "sealed in place");
    assertArrayEquals(DATA, cipher.decrypt(T1, second.seal(), AAD));
    assertFalse(java.util.Arrays.equals(handedOn, second.envelope()), "each prepare draws a nonce");
    assertThrows(IllegalStateException.class, first::seal, "a second seal would reuse the nonce");
  }

  @Test
  void shouldFailAtPrepareForAShreddedTenantBeforeAnyCipherWork() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    cipher.keys().ensureTenantKey(T1);
    cipher.keys().destroyTenant(T1);
    assertMessage(
        assertThrows(KeyException.class, () -> cipher.prepare(T1, DATA, 0, DATA.length, AAD)),
        "crypto-shredded");
  }

  @Test
  void shouldNeverRepeatANonceAcrossEncryptions() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    byte[] first = cipher.encrypt(T1, DATA, AAD);
    byte[] second = cipher.encrypt(T1, DATA, AAD);
    assertFalse(java.util.Arrays.equals(first, second), "same plaintext, different ciphertext");
    assertEquals(
        EnvelopeLayout.getLongLe(first, EnvelopeLayout.COUNTER_OFFSET) + 1,
        EnvelopeLayout.getLongLe(second, EnvelopeLayout.COUNTER_OFFSET));
  }

  @Test
  void shouldRejectAnotherTenantOtherAadAndEveryAlteredByte() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    cipher.keys().ensureTenantKey(T2);
    byte[] envelope = cipher.encrypt(T1, DATA, AAD);
    assertMessage(
        assertThrows(KeyException.class, () -> cipher.decrypt(T2, envelope, AAD)),
        "does not authenticate");
    assertMessage(
        assertThrows(KeyException.class, () -> cipher.decrypt(T1, envelope, new byte[] {1})),
        "does not authenticate");
    assertThrows(KeyException.class, () -> cipher.decrypt(T1, envelope, null));
    for (int i = 0; i < envelope.length; i++) {
      byte[] altered = envelope.clone();
      altered[i] ^= 0x10;
      assertThrows(KeyException.class, () -> cipher.decrypt(T1, altered, AAD), "byte " + i);
    }
    for (int n = 0; n < envelope.length; n++) {
      byte[] truncated = java.util.Arrays.copyOf(envelope, n);
      assertThrows(KeyException.class, () -> cipher.decrypt(T1, truncated, AAD), "length " + n);
    }
  }

  @Test
  void shouldDecryptOldVersionsAfterRotationAndEncryptWithTheNewest() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    byte[] v1 = cipher.encrypt(T1, DATA, AAD);
    assertEquals(2, cipher.keys().rotateTenantKey(T1));
    byte[] v2 = cipher.encrypt(T1, DATA, AAD);
    assertEquals(1, EnvelopeCipher.keyVersionOf(v1));
    assertEquals(2, EnvelopeCipher.keyVersionOf(v2));
    assertEquals(2, cipher.keys().currentKeyVersion(T1));
    assertArrayEquals(DATA, cipher.decrypt(T1, v1, AAD));
    assertArrayEquals(DATA, cipher.decrypt(T1, v2, AAD));
    byte[] v9 = v2.clone();
    EnvelopeLayout.putIntLe(v9, EnvelopeLayout.VERSION_OFFSET, 9);
    assertMessage(
        assertThrows(KeyException.class, () -> cipher.decrypt(T1, v9, AAD)), "no key version 9");
  }

  @Test
  void shouldSaySheddedTenantKeysWereDestroyedAndRefuseNewKeys() {
    SimFileIo sim = new SimFileIo(7);
    Path dir = Path.of("/sim/keys");
    byte[] envelope;
    try (FileKeyStore store = FileKeyStore.open(sim, dir)) {
      EnvelopeCipher cipher = cipher(store);
      envelope = cipher.encrypt(T1, DATA, AAD);
      cipher.keys().rotateTenantKey(T1);
      cipher.encrypt(T2, DATA, AAD);
      cipher.keys().destroyTenant(T1);
      cipher.keys().destroyTenant(T1); // idempotent
      assertMessage(
          assertThrows(KeyException.class, () -> cipher.decrypt(T1, envelope, AAD)),
          "crypto-shredded");
    }
    try (FileKeyStore store = FileKeyStore.open(sim, dir)) {
      EnvelopeCipher cipher = cipher(store);
      assertTrue(cipher.keys().isShredded(T1));
      assertTrue(store.get(T1).keys().isEmpty(), "no wrapped key of the tenant is left");
      assertMessage(
          assertThrows(KeyException.class, () -> cipher.decrypt(T1, envelope, AAD)),
          "crypto-shredded");
      assertMessage(
          assertThrows(KeyException.class, () -> cipher.encrypt(T1, DATA, AAD)), "crypto-shredded");
      assertThrows(KeyException.class, () -> cipher.keys().ensureTenantKey(T1));
      assertThrows(KeyException.class, () -> cipher.keys().rotateTenantKey(T1));
      assertFalse(cipher.keys().isShredded(T2));
    }
  }

  @Test
  void shouldSayUnknownForATenantWithoutKeys() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    byte[] envelope = cipher.encrypt(T1, DATA, AAD);
    assertMessage(
        assertThrows(KeyException.class, () -> cipher.decrypt(TenantId.of(3), envelope, AAD)),
        "no data keys");
    assertEquals(0, cipher.keys().currentKeyVersion(TenantId.of(3)));
  }

  @Test
  void shouldNameBothMasterKeysWhenTheProviderGivesAnotherKey() {
    MemoryKeyStore store = new MemoryKeyStore();
    byte[] envelope = cipher(store).encrypt(T1, DATA, AAD);
    KeyManager other = new KeyManager(store, TestKeys.provider(2), new SecureRandom());
    KeyException e =
        assertThrows(
            KeyException.class, () -> new EnvelopeCipher(other).decrypt(T1, envelope, AAD));
    assertMessage(e, TestKeys.provider(1).masterKey().id());
    assertMessage(e, TestKeys.provider(2).masterKey().id());
  }

  @Test
  void shouldRejectAWrappedKeyMovedToAnotherTenant() {
    MemoryKeyStore store = new MemoryKeyStore();
    EnvelopeCipher cipher = cipher(store);
    cipher.encrypt(T1, DATA, AAD);
    byte[] envelope2 = cipher.encrypt(T2, DATA, AAD);
    // An attacker with write access to the key store copies tenant 1's key into tenant 2's slot.
    store.put(TenantKeyRecord.active(T2, List.of(store.get(T1).latest())));
    EnvelopeCipher fresh = cipher(store);
    assertMessage(
        assertThrows(KeyException.class, () -> fresh.decrypt(T2, envelope2, AAD)),
        "does not unwrap");
  }

  @Test
  void shouldRewrapEveryKeyUnderANewMasterKey() {
    MemoryKeyStore store = new MemoryKeyStore();
    EnvelopeCipher old = cipher(store);
    byte[] v1 = old.encrypt(T1, DATA, AAD);
    old.keys().rotateTenantKey(T1);
    byte[] v2 = old.encrypt(T1, DATA, AAD);
    byte[] other = old.encrypt(T2, DATA, AAD);
    old.keys().destroyTenant(TenantId.of(3));
    long limit = store.get(T1).latest().nonceLimit();
    MasterKey from = TestKeys.provider(1).masterKey();
    MasterKey to = TestKeys.provider(2).masterKey();
    assertEquals(3, KeyManager.rewrapAll(store, from, to, new SecureRandom()));
    assertEquals(0, KeyManager.rewrapAll(store, from, to, new SecureRandom()), "idempotent");
    assertEquals(limit, store.get(T1).latest().nonceLimit(), "nonce limits are kept");
    EnvelopeCipher fresh =
        new EnvelopeCipher(new KeyManager(store, TestKeys.provider(2), new SecureRandom()));
    assertArrayEquals(DATA, fresh.decrypt(T1, v1, AAD));
    assertArrayEquals(DATA, fresh.decrypt(T1, v2, AAD));
    assertArrayEquals(DATA, fresh.decrypt(T2, other, AAD));
    assertTrue(fresh.keys().isShredded(TenantId.of(3)));
    assertMessage(
        assertThrows(KeyException.class, () -> cipher(store).decrypt(T1, v1, AAD)),
        "wrapped under master key " + to.id());
  }

  @Test
  void shouldRefuseUseAfterTheKeyManagerIsClosed() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    byte[] envelope = cipher.encrypt(T1, DATA, AAD);
    cipher.keys().close();
    assertThrows(io.veritydb.types.ClosedException.class, () -> cipher.decrypt(T1, envelope, AAD));
    assertThrows(io.veritydb.types.ClosedException.class, () -> cipher.encrypt(T1, DATA, AAD));
  }

  /**
   * Regression (found by EnvelopeProperties): a forged envelope whose nonce equals the next counter
   * nonce must not make the next legitimate encryption fail.
   */
  @Test
  void shouldEncryptAfterDecryptingAForgeryThatCarriesTheNextNonce() {
    EnvelopeCipher cipher = cipher(new MemoryKeyStore());
    byte[] envelope = cipher.encrypt(T1, DATA, AAD);
    long counter = EnvelopeLayout.getLongLe(envelope, EnvelopeLayout.COUNTER_OFFSET);
    byte[] forged = envelope.clone();
    EnvelopeLayout.putLongLe(forged, EnvelopeLayout.COUNTER_OFFSET, counter + 1);
    assertThrows(KeyException.class, () -> cipher.decrypt(T1, forged, AAD));
    byte[] next = cipher.encrypt(T1, DATA, AAD);
    assertEquals(counter + 1, EnvelopeLayout.getLongLe(next, EnvelopeLayout.COUNTER_OFFSET));
    assertArrayEquals(DATA, cipher.decrypt(T1, next, AAD));
  }
}
