package io.veritydb.crypto;

import java.util.Arrays;

/** Fixed master keys for tests. */
final class TestKeys {
  private TestKeys() {}

  static KeyProvider provider(int fill) {
    byte[] bytes = new byte[MasterKey.LENGTH];
    Arrays.fill(bytes, (byte) fill);
    MasterKey key = MasterKey.of(bytes);
    return () -> key;
  }
}
