package io.veritydb.api;

import io.veritydb.types.LogPosition;
import java.time.Instant;
import java.util.Map;

/**
 * One version of a row, from {@link TenantHandle#history}: what the row was right after the command
 * at {@link #position()}, who ran that command and when.
 *
 * @param position the log position of the command that produced this version
 * @param time the time stamped on that command
 * @param actor who ran it ("" when unnamed)
 * @param requestId the request id it carried ("" when none)
 * @param operation {@code INSERT}, {@code UPDATE} or {@code DELETE}
 * @param values the row's columns after the command, in table order; null for a DELETE
 */
public record RowVersion(
    LogPosition position,
    Instant time,
    String actor,
    String requestId,
    String operation,
    Map<String, Object> values) {}
