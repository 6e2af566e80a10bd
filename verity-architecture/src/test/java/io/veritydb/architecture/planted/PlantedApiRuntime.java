package io.veritydb.architecture.planted;

import io.veritydb.api.ExecuteResult;
import io.veritydb.api.Rows;
import io.veritydb.types.LogPosition;

/** Runtime code (as if in io.veritydb.api.internal) that uses the public package. */
public final class PlantedApiRuntime {
  private PlantedApiRuntime() {}

  /** Uses the facade's Rows. */
  public static final class UsesRows {
    static int count(Rows rows) {
      return rows.size();
    }
  }

  /** Builds a result record: allowed. */
  public static final class BuildsResult {
    static ExecuteResult result(LogPosition at) {
      return new ExecuteResult(at, 1);
    }
  }
}
