package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No (tenant, key version, nonce counter) is ever used twice, across simulated crashes. */
class NonceLeaseTest {
  private static final Path DIR = Path.of("/sim/keys");

  private static final class Sealed {
    final TenantId tenant;
    final byte[] plaintext;
    final byte[] envelope;

    Sealed(TenantId tenant, byte[] plaintext, byte[] envelope) {
      this.tenant = tenant;
      this.plaintext = plaintext;
      this.envelope = envelope;
    }
  }

  private static final List<FaultyFileIo.Fault> FAULTS = List.of(FaultyFileIo.Fault.values());
  private static final List<SimFileIo.CrashMode> MODES = List.of(SimFileIo.CrashMode.values());

  @Test
  void shouldNeverReuseANonceAfterSimulatedCrashes() {
    long seed = new SecureRandom().nextLong();
    System.out.println("shouldNeverReuseANonceAfterSimulatedCrashes seed=" + seed);
    Random random = new Random(seed);
    SimFileIo sim = new SimFileIo(seed);
    KeyProvider provider = TestKeys.provider(5);
    Set<String> used = new HashSet<>();
    List<Sealed> sealed = new ArrayList<>();
    int crashes = 0;
    for (int round = 0; round < 40; round++) {
      FaultyFileIo faulty = new FaultyFileIo(sim);
      FileKeyStore store = FileKeyStore.open(faulty, DIR);
      // Small leases and a tiny cache so that leases run out and tenants are evicted often.
      KeyManager keys =
          new KeyManager(store, provider, new SecureRandom(), 1 + random.nextInt(7), 2);
      EnvelopeCipher cipher = new EnvelopeCipher(keys);
      if (random.nextInt(4) == 0) {
        faulty.arm(1 + random.nextInt(12), FAULTS.get(random.nextInt(FAULTS.size())));
      }
      try {
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
          TenantId tenant = TenantId.of(1 + random.nextInt(4));
          if (random.nextInt(25) == 0) {
            keys.rotateTenantKey(tenant);
          }
          byte[] plaintext = new byte[random.nextInt(20)];
          random.nextBytes(plaintext);
          byte[] envelope = cipher.encrypt(tenant, plaintext, null);
          String nonce =
              tenant.value()
                  + "/v"
                  + EnvelopeCipher.keyVersionOf(envelope)
                  + "/"
                  + EnvelopeLayout.getLongLe(envelope, EnvelopeLayout.COUNTER_OFFSET);
          assertTrue(used.add(nonce), "seed=" + seed + " nonce reused: " + nonce);
          sealed.add(new Sealed(tenant, plaintext, envelope));
        }
      } catch (UnavailableException e) {
        // an injected store failure: the encryption that needed a lease did not happen
      }
      store.close();
      sim.crash(MODES.get(random.nextInt(MODES.size())));
      crashes++;
    }
    try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
      EnvelopeCipher cipher =
          new EnvelopeCipher(new KeyManager(store, provider, new SecureRandom()));
      for (Sealed s : sealed) {
        assertArrayEquals(s.plaintext, cipher.decrypt(s.tenant, s.envelope, null), "seed=" + seed);
      }
    }
    assertTrue(crashes == 40 && used.size() > 100, "seed=" + seed + " used=" + used.size());
  }

  @Test
  void shouldRestartAboveTheDurableLeaseAfterACrash() {
    SimFileIo sim = new SimFileIo(11);
    TenantId tenant = TenantId.of(9);
    long last;
    try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
      EnvelopeCipher cipher =
          new EnvelopeCipher(
              new KeyManager(store, TestKeys.provider(5), new SecureRandom(), 100, 8));
      byte[] e = null;
      for (int i = 0; i < 150; i++) {
        e = cipher.encrypt(tenant, new byte[] {1}, null);
      }
      last = EnvelopeLayout.getLongLe(e, EnvelopeLayout.COUNTER_OFFSET);
      assertTrue(last == 149);
    }
    sim.crash();
    try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
      assertTrue(store.get(tenant).latest().nonceLimit() == 200);
      EnvelopeCipher cipher =
          new EnvelopeCipher(
              new KeyManager(store, TestKeys.provider(5), new SecureRandom(), 100, 8));
      byte[] e = cipher.encrypt(tenant, new byte[] {1}, null);
      assertTrue(
          EnvelopeLayout.getLongLe(e, EnvelopeLayout.COUNTER_OFFSET) == 200,
          "counting restarts at the durable lease limit, skipping 150..199");
    }
  }
}
