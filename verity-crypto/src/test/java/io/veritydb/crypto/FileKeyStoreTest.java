package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyStoreTest {
  private static final Path DIR = Path.of("/sim/keys");
  private static final TenantId T1 = TenantId.of(1);
  private static final TenantId T2 = TenantId.of(2);

  @TempDir Path temp;

  private static WrappedKey key(int version, int fill) {
    byte[] wrapped = new byte[WrappedKey.WRAPPED_LENGTH];
    Arrays.fill(wrapped, (byte) fill);
    return new WrappedKey(version, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 100L * version, wrapped);
  }

  private static Map<TenantId, TenantKeyRecord> snapshot(KeyStore store) {
    Map<TenantId, TenantKeyRecord> map = new TreeMap<>();
    for (TenantId t : store.tenants()) {
      map.put(t, store.get(t));
    }
    return map;
  }

  @Test
  void shouldRoundTripRecordsThroughTheRealDisk() {
    try (FileKeyStore store = FileKeyStore.open(NioFileIo.INSTANCE, temp)) {
      assertTrue(store.tenants().isEmpty());
      store.put(TenantKeyRecord.active(T1, List.of(key(1, 7), key(2, 8))));
      store.put(TenantKeyRecord.shredded(T2));
      store.put(TenantKeyRecord.active(TenantId.of(5), List.of(key(1, 9))));
    }
    try (FileKeyStore store = FileKeyStore.open(NioFileIo.INSTANCE, temp)) {
      assertEquals(List.of(T1, T2, TenantId.of(5)), store.tenants());
      assertEquals(TenantKeyRecord.active(T1, List.of(key(1, 7), key(2, 8))), store.get(T1));
      assertTrue(store.get(T2).isShredded());
      assertNull(store.get(TenantId.of(3)));
      assertEquals(3, store.generation());
      assertFalse(Files.exists(temp.resolve(FileKeyStore.TEMP_NAME)));
    }
  }

  private static byte[] storeBytes(SimFileIo sim) {
    try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
      store.put(TenantKeyRecord.active(T1, List.of(key(1, 7), key(2, 8))));
      store.put(TenantKeyRecord.shredded(T2));
    }
    try (FileHandle h = sim.open(DIR.resolve(FileKeyStore.FILE_NAME), FileIo.Mode.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) h.size());
      h.read(b, 0);
      return b.array();
    }
  }

  @Test
  void shouldReportEveryFlippedBitAsCorruptionNamingTheFile() {
    SimFileIo sim = new SimFileIo(1);
    int length = storeBytes(sim).length;
    Path file = DIR.resolve(FileKeyStore.FILE_NAME);
    for (int offset = 0; offset < length; offset++) {
      int bit = offset % 8;
      sim.flipBit(file, offset, bit);
      final int at = offset;
      CorruptionException e =
          assertThrows(
              CorruptionException.class,
              () -> FileKeyStore.open(sim, DIR),
              () -> "bit flip at offset " + at + " not detected");
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      sim.flipBit(file, offset, bit);
    }
    FileKeyStore.open(sim, DIR).close();
  }

  @Test
  void shouldReportEveryTruncationAsCorruption() {
    SimFileIo sim = new SimFileIo(2);
    byte[] bytes = storeBytes(sim);
    Path file = DIR.resolve(FileKeyStore.FILE_NAME);
    for (int length = 0; length < bytes.length; length++) {
      try (FileHandle h = sim.open(file, FileIo.Mode.WRITE)) {
        h.truncate(0);
        h.write(ByteBuffer.wrap(bytes, 0, length), 0);
      }
      final int n = length;
      assertThrows(
          CorruptionException.class,
          () -> FileKeyStore.open(sim, DIR),
          () -> "truncation to " + n + " bytes not detected");
    }
  }

  @Test
  void shouldDeleteAStrayTempFileAndKeepTheCommittedStore() {
    SimFileIo sim = new SimFileIo(3);
    byte[] bytes = storeBytes(sim);
    try (FileHandle h = sim.open(DIR.resolve(FileKeyStore.TEMP_NAME), FileIo.Mode.CREATE)) {
      h.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2), 0); // a torn, uncommitted write
      h.sync();
    }
    sim.syncDirectory(DIR);
    try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
      assertEquals(List.of(T1, T2), store.tenants());
    }
    assertFalse(sim.exists(DIR.resolve(FileKeyStore.TEMP_NAME)));
  }

  @Test
  void shouldRefuseFurtherUseAfterAFailedWrite() {
    SimFileIo sim = new SimFileIo(4);
    FaultyFileIo faulty = new FaultyFileIo(sim);
    try (FileKeyStore store = FileKeyStore.open(faulty, DIR)) {
      store.put(TenantKeyRecord.active(T1, List.of(key(1, 7))));
      faulty.arm(1, FaultyFileIo.Fault.THROW_BEFORE);
      assertThrows(UnavailableException.class, () -> store.put(TenantKeyRecord.shredded(T1)));
      UnavailableException e = assertThrows(UnavailableException.class, () -> store.get(T1));
      assertTrue(e.getMessage().contains("reopen"), e.getMessage());
    }
  }

  /**
   * Crypto-shredding interrupted at every file operation, with every fault kind and every crash
   * mode: reopening yields the old store (keys present, the shred can be repeated) or the new one
   * (keys gone), never a damaged or mixed one; a shred that returned is durable.
   */
  @Test
  void shredSurvivesACrashAtEveryStepAsEitherOldOrNewState() {
    long seed = new SecureRandom().nextLong();
    System.out.println("shredSurvivesACrashAtEveryStepAsEitherOldOrNewState seed=" + seed);
    int steps = countShredOperations(seed);
    assertTrue(steps >= 5, "a shred takes at least open, write, sync, rename, dir sync: " + steps);
    int outcomesOld = 0;
    int outcomesNew = 0;
    for (SimFileIo.CrashMode mode : SimFileIo.CrashMode.values()) {
      for (FaultyFileIo.Fault fault : FaultyFileIo.Fault.values()) {
        for (int step = 1; step <= steps + 1; step++) {
          String what = "seed=" + seed + " mode=" + mode + " fault=" + fault + " step=" + step;
          SimFileIo sim = new SimFileIo(seed);
          KeyProvider provider = TestKeys.provider(3);
          byte[] envelope1;
          byte[] envelope2;
          Map<TenantId, TenantKeyRecord> before;
          try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
            EnvelopeCipher cipher =
                new EnvelopeCipher(new KeyManager(store, provider, new SecureRandom()));
            envelope1 = cipher.encrypt(T1, new byte[] {1, 2, 3}, null);
            cipher.keys().rotateTenantKey(T1);
            envelope2 = cipher.encrypt(T2, new byte[] {4}, null);
            before = snapshot(store);
          }
          FaultyFileIo faulty = new FaultyFileIo(sim);
          boolean returned;
          try (FileKeyStore store = FileKeyStore.open(faulty, DIR)) {
            KeyManager keys = new KeyManager(store, provider, new SecureRandom());
            faulty.arm(step, fault);
            try {
              keys.destroyTenant(T1);
              returned = true;
            } catch (UnavailableException e) {
              returned = false;
            }
          }
          sim.crash(mode);
          Map<TenantId, TenantKeyRecord> after;
          try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
            after = snapshot(store);
            KeyManager keys = new KeyManager(store, provider, new SecureRandom());
            EnvelopeCipher cipher = new EnvelopeCipher(keys);
            Map<TenantId, TenantKeyRecord> shredded = new TreeMap<>(before);
            shredded.put(T1, TenantKeyRecord.shredded(T1));
            if (after.equals(before)) {
              assertFalse(returned, what + ": a shred that returned must be durable");
              assertArrayEquals(new byte[] {1, 2, 3}, cipher.decrypt(T1, envelope1, null), what);
              outcomesOld++;
            } else {
              assertEquals(shredded, after, what + ": neither the old nor the new store");
              outcomesNew++;
            }
            keys.destroyTenant(T1); // idempotent: repeat until it returns
            assertTrue(keys.isShredded(T1), what);
            assertArrayEquals(new byte[] {4}, cipher.decrypt(T2, envelope2, null), what);
          }
        }
      }
    }
    assertTrue(outcomesOld > 0 && outcomesNew > 0, "old=" + outcomesOld + " new=" + outcomesNew);
  }

  /** Master key rotation interrupted at every file operation: all old or all new. */
  @Test
  void rewrapSurvivesACrashAtEveryStepAsAllOldOrAllNew() {
    MasterKey from = TestKeys.provider(1).masterKey();
    MasterKey to = TestKeys.provider(2).masterKey();
    int newOutcomes = 0;
    for (SimFileIo.CrashMode mode : SimFileIo.CrashMode.values()) {
      for (int step = 1; step <= 6; step++) {
        String what = "mode=" + mode + " step=" + step;
        SimFileIo sim = new SimFileIo(step);
        byte[] e1;
        byte[] e2;
        try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
          EnvelopeCipher cipher =
              new EnvelopeCipher(new KeyManager(store, () -> from, new SecureRandom()));
          e1 = cipher.encrypt(T1, new byte[] {1}, null);
          e2 = cipher.encrypt(T2, new byte[] {2}, null);
        }
        FaultyFileIo faulty = new FaultyFileIo(sim);
        try (FileKeyStore store = FileKeyStore.open(faulty, DIR)) {
          faulty.arm(step, FaultyFileIo.Fault.THROW_BEFORE);
          try {
            KeyManager.rewrapAll(store, from, to, new SecureRandom());
          } catch (UnavailableException e) {
            // interrupted; the reopen below decides what is durable
          }
        }
        sim.crash(mode);
        try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
          boolean allNew = store.get(T1).latest().masterKeyIdHex().equals(to.id());
          assertEquals(allNew, store.get(T2).latest().masterKeyIdHex().equals(to.id()), what);
          MasterKey current = allNew ? to : from;
          EnvelopeCipher cipher =
              new EnvelopeCipher(new KeyManager(store, () -> current, new SecureRandom()));
          assertArrayEquals(new byte[] {1}, cipher.decrypt(T1, e1, null), what);
          assertArrayEquals(new byte[] {2}, cipher.decrypt(T2, e2, null), what);
          newOutcomes += allNew ? 1 : 0;
        }
      }
    }
    assertTrue(newOutcomes > 0);
  }

  private static int countShredOperations(long seed) {
    SimFileIo sim = new SimFileIo(seed);
    try (FileKeyStore store = FileKeyStore.open(sim, DIR)) {
      store.put(TenantKeyRecord.active(T1, List.of(key(1, 7))));
    }
    FaultyFileIo faulty = new FaultyFileIo(sim);
    try (FileKeyStore store = FileKeyStore.open(faulty, DIR)) {
      faulty.count();
      store.put(TenantKeyRecord.shredded(T1));
      return faulty.operations();
    }
  }
}
