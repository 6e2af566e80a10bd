package io.veritydb.types;

/** A table, by the number the catalog gave it when it was created (unique within a tenant). */
public record TableId(long value) implements Comparable<TableId> {
  public TableId {
    if (value <= 0) {
      throw new BadRequestException("table id must be positive, was " + value);
    }
  }

  public static TableId of(long value) {
    return new TableId(value);
  }

  @Override
  public int compareTo(TableId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "table#" + value;
  }
}
