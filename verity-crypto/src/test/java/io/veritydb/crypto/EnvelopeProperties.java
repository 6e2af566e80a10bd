package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.types.KeyException;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class EnvelopeProperties {
  private final EnvelopeCipher cipher =
      new EnvelopeCipher(
          new KeyManager(new MemoryKeyStore(), TestKeys.provider(9), new SecureRandom()));

  @Property(tries = 200)
  void decryptInvertsEncrypt(
      @ForAll @LongRange(min = 0, max = 50) long tenantId,
      @ForAll @Size(max = 300) byte[] plaintext,
      @ForAll @Size(max = 40) byte[] aad) {
    TenantId tenant = new TenantId(tenantId);
    byte[] envelope = cipher.encrypt(tenant, plaintext, aad);
    assertEquals(plaintext.length + EnvelopeCipher.OVERHEAD, envelope.length);
    assertArrayEquals(plaintext, cipher.decrypt(tenant, envelope, aad));
  }

  @Property(tries = 200)
  void anySingleBitFlipIsRejected(
      @ForAll @Size(max = 100) byte[] plaintext,
      @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    TenantId tenant = TenantId.of(1);
    byte[] envelope = cipher.encrypt(tenant, plaintext, null);
    envelope[position % envelope.length] ^= (byte) (1 << bit);
    assertThrows(KeyException.class, () -> cipher.decrypt(tenant, envelope, null));
  }

  @Property(tries = 100)
  void keyStoreFileRoundTripsArbitraryRecords(
      @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 4) Integer> versions,
      @ForAll long generation) {
    List<TenantKeyRecord> records = new ArrayList<>();
    for (int t = 0; t < versions.size(); t++) {
      TenantId tenant = new TenantId(t * 7L);
      int n = versions.get(t);
      if (n == 0) {
        records.add(TenantKeyRecord.shredded(tenant));
      } else {
        List<WrappedKey> keys = new ArrayList<>();
        for (int v = 1; v <= n; v++) {
          byte[] wrapped = new byte[WrappedKey.WRAPPED_LENGTH];
          wrapped[v] = (byte) t;
          keys.add(new WrappedKey(v, new byte[MasterKey.ID_LENGTH], (long) t * v, wrapped));
        }
        records.add(TenantKeyRecord.active(tenant, keys));
      }
    }
    byte[] bytes = KeyStoreLayout.encode(generation, records);
    Path file = Path.of("keys.vks");
    byte[] header = java.util.Arrays.copyOf(bytes, KeyStoreLayout.HEADER);
    KeyStoreLayout.bodyLength(header, bytes.length, file);
    KeyStoreLayout.Contents contents = KeyStoreLayout.decode(bytes, file);
    assertEquals(generation, contents.generation());
    assertEquals(records, contents.records());
  }
}
