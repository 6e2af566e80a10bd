package io.veritydb.storage;

import io.veritydb.types.ChainHash;
import io.veritydb.types.LogPosition;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@link Log#verify}: how far the log verified (last good position and its chain
 * hash), the checkpoints found, and the first damage, if any ({@code null} when the whole log
 * verified).
 */
public record VerifyReport(
    LogPosition lastGoodPosition,
    ChainHash lastGoodChainHash,
    List<Checkpoint> checkpoints,
    Damage firstDamage) {
  public VerifyReport {
    checkpoints = List.copyOf(checkpoints);
  }

  public boolean ok() {
    return firstDamage == null;
  }

  public Optional<Damage> damage() {
    return Optional.ofNullable(firstDamage);
  }
}
