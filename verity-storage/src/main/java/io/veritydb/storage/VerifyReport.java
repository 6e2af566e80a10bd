package io.veritydb.storage;

import io.veritydb.types.ChainHash;
import io.veritydb.types.Checks;
import io.veritydb.types.LogPosition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@link Log#verify}: how far the log verified (last good position and its chain
 * hash), the chain marks found and the file they were read from ({@code log/marks.dat}, or {@code
 * log/checkpoints.dat} in a directory written before the file had its name; it may not exist), and
 * the first damage, if any ({@code null} when the whole log verified).
 */
public record VerifyReport(
    LogPosition lastGoodPosition,
    ChainHash lastGoodChainHash,
    List<ChainMark> marks,
    Path marksFile,
    Damage firstDamage) {
  public VerifyReport {
    marks = List.copyOf(marks);
    Checks.checkNotNull(marksFile, "marksFile");
  }

  public boolean ok() {
    return firstDamage == null;
  }

  public Optional<Damage> damage() {
    return Optional.ofNullable(firstDamage);
  }
}
