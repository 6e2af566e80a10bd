package io.veritydb.bench.harness;

import java.nio.file.Path;
import java.util.List;

/** Opens an engine by its short name. */
public final class Engines {
  private Engines() {}

  /** Every engine, VerityDB first. */
  public static final List<String> ALL = List.of("verity", "h2", "sqlite", "hsqldb");

  public static BenchEngine open(String name, Path dir) {
    return switch (name) {
      case "verity" -> VerityEngine.open(dir);
      case "h2" -> JdbcEngine.open(JdbcEngine.Peer.H2, dir);
      case "sqlite" -> JdbcEngine.open(JdbcEngine.Peer.SQLITE, dir);
      case "hsqldb" -> JdbcEngine.open(JdbcEngine.Peer.HSQLDB, dir);
      default ->
          throw new IllegalArgumentException(
              "unknown engine " + name + "; expected one of " + ALL + " or all");
    };
  }
}
