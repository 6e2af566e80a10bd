package io.veritydb.architecture.planted;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pure code that iterates hash-ordered collections. */
public final class PlantedHashOrder {
  private PlantedHashOrder() {}

  /** Lists a HashMap's keys. */
  public static final class UsesHashMap {
    static List<String> keys(Map<String, Integer> counts) {
      Map<String, Integer> copy = new HashMap<>(counts);
      return new ArrayList<>(copy.keySet());
    }
  }

  /** Lists a HashSet's members. */
  public static final class UsesHashSet {
    static List<String> distinct(List<String> names) {
      Set<String> seen = new HashSet<>(names);
      return new ArrayList<>(seen);
    }
  }
}
