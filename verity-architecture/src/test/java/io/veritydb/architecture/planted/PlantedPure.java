package io.veritydb.architecture.planted;

import io.veritydb.store.StoreReader;
import io.veritydb.types.LogPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure code the purity rules must accept: a store view, time as a value, ordered collections,
 * charsets. Shows the rules are no broader than they say.
 */
public final class PlantedPure {
  private PlantedPure() {}

  static byte[] read(StoreReader view, String key, LogPosition at) {
    return view.getAt(key.getBytes(StandardCharsets.UTF_8), at);
  }

  static Instant stamp(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }

  static List<String> ordered(Map<String, Integer> counts) {
    Map<String, Integer> byInsertion = new LinkedHashMap<>(counts);
    Map<String, Integer> sorted = new TreeMap<>(byInsertion);
    return new ArrayList<>(sorted.keySet());
  }
}
