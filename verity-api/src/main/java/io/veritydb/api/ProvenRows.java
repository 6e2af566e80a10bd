package io.veritydb.api;

import io.veritydb.types.LogPosition;
import java.util.Map;

/**
 * A query result with the evidence behind it: the signed checkpoint (C2SP tlog-checkpoint) the
 * proofs are checked against, and for every row the log position of the record that wrote the row's
 * version that was read, with a C2SP tlog-proof that this record is in the checkpoint. Anyone can
 * check the proofs without VerityDB (see docs/COMPLIANCE.md).
 *
 * @param rows the query result
 * @param checkpoint the signed checkpoint the proofs lead to
 * @param sources for each row (same order as {@code rows}), the position of the record that wrote
 *     it
 * @param proofs for each source position, its tlog-proof (the record's bytes in the extra line)
 */
public record ProvenRows(
    Rows rows,
    String checkpoint,
    java.util.List<LogPosition> sources,
    Map<LogPosition, String> proofs) {}
