package io.veritydb.api;

import io.veritydb.types.LogPosition;
import java.time.Instant;

/**
 * One entry of a tenant's audit trail: a command in the log, or a recorded read.
 *
 * @param position the log position of the command
 * @param time the wall-clock time stamped on it when it was committed
 * @param actor who asked ("" when the application named nobody)
 * @param requestId the application's request id ("" when none)
 * @param statement what was asked, e.g. {@code INSERT INTO patients (3 rows)} or {@code READ
 *     patients: 2 rows (id)=(1),(2)}
 * @param outcome {@code applied}, {@code rejected} or {@code read}
 * @param rowsAffected rows changed (or read)
 * @param reason why it was rejected, or "" when it was not
 */
public record AuditEntry(
    LogPosition position,
    Instant time,
    String actor,
    String requestId,
    String statement,
    String outcome,
    long rowsAffected,
    String reason) {}
