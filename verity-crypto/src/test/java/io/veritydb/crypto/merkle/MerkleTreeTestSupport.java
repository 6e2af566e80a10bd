package io.veritydb.crypto.merkle;

import java.util.HexFormat;
import java.util.List;

final class MerkleTreeTestSupport {
  private MerkleTreeTestSupport() {}

  static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(h -> HexFormat.of().formatHex(h)).toList();
  }
}
