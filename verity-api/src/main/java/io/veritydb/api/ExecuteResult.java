package io.veritydb.api;

import io.veritydb.types.LogPosition;

/**
 * What a write did: the log position its command was committed at, and how many rows it changed.
 * Pass {@link #position()} to {@link TenantHandle#queryAt} to read the state right after it.
 *
 * @param position the position of the command in the log
 * @param rowsAffected rows inserted, updated or deleted (0 for DDL)
 */
public record ExecuteResult(LogPosition position, long rowsAffected) {}
