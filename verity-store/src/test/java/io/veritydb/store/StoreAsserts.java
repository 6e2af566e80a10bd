package io.veritydb.store;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Comparing store reads with the model's, with readable failure messages. */
final class StoreAsserts {
  private StoreAsserts() {}

  static List<String> drain(StoreCursor cursor) {
    List<String> out = new ArrayList<>();
    try (cursor) {
      while (cursor.next()) {
        out.add(entry(cursor));
      }
    }
    return out;
  }

  /** The cursor's current entry as drain() prints it. */
  static String entry(StoreCursor cursor) {
    return hex(cursor.key()) + "=" + hex(cursor.value());
  }

  static String hex(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    String h = HexFormat.of().formatHex(bytes);
    return h.length() > 40 ? h.substring(0, 40) + "..(" + bytes.length + ")" : h;
  }
}
