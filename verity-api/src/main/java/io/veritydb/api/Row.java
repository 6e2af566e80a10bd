package io.veritydb.api;

import io.veritydb.types.BadRequestException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One row of a query result. Values are the column's Java type: Long (BIGINT), Integer (INT),
 * String (TEXT, VARCHAR), Boolean, BigDecimal (DECIMAL), Instant (TIMESTAMP), byte[] (BYTES), or
 * null. The typed getters convert only where no information is lost (INT to long) and otherwise
 * fail with a {@link BadRequestException} naming the column and its type.
 */
public final class Row {
  private final Rows rows;
  private final Object[] values;

  Row(Rows rows, Object[] values) {
    this.rows = rows;
    this.values = values;
  }

  /** The value of {@code column} (case-insensitive), or null for SQL NULL. */
  public Object get(String column) {
    return get(rows.indexOf(column));
  }

  /** The value at {@code index} (0-based, in {@link Rows#columnNames()} order). */
  public Object get(int index) {
    if (index < 0 || index >= values.length) {
      throw new BadRequestException(
          "column index "
              + index
              + " is out of range: the result has "
              + values.length
              + " columns "
              + rows.columnNames());
    }
    Object value = values[index];
    return value instanceof byte[] bytes ? bytes.clone() : value;
  }

  public Long getLong(String column) {
    return getLong(rows.indexOf(column));
  }

  public Long getLong(int index) {
    Object value = get(index);
    if (value == null || value instanceof Long) {
      return (Long) value;
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    throw wrongType(index, "a BIGINT (Long)", value);
  }

  public Integer getInt(String column) {
    return getInt(rows.indexOf(column));
  }

  public Integer getInt(int index) {
    Object value = get(index);
    if (value == null || value instanceof Integer) {
      return (Integer) value;
    }
    if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    throw wrongType(index, "an INT (Integer)", value);
  }

  public String getString(String column) {
    return getString(rows.indexOf(column));
  }

  public String getString(int index) {
    Object value = get(index);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(index, "a TEXT (String)", value);
  }

  public Boolean getBoolean(String column) {
    return getBoolean(rows.indexOf(column));
  }

  public Boolean getBoolean(int index) {
    Object value = get(index);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw wrongType(index, "a BOOLEAN", value);
  }

  public BigDecimal getDecimal(String column) {
    return getDecimal(rows.indexOf(column));
  }

  public BigDecimal getDecimal(int index) {
    Object value = get(index);
    if (value == null || value instanceof BigDecimal) {
      return (BigDecimal) value;
    }
    if (value instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (value instanceof Integer i) {
      return BigDecimal.valueOf(i);
    }
    throw wrongType(index, "a DECIMAL (BigDecimal)", value);
  }

  public Instant getTimestamp(String column) {
    return getTimestamp(rows.indexOf(column));
  }

  public Instant getTimestamp(int index) {
    Object value = get(index);
    if (value == null || value instanceof Instant) {
      return (Instant) value;
    }
    throw wrongType(index, "a TIMESTAMP (Instant)", value);
  }

  public byte[] getBytes(String column) {
    return getBytes(rows.indexOf(column));
  }

  public byte[] getBytes(int index) {
    Object value = get(index);
    if (value == null || value instanceof byte[]) {
      return (byte[]) value;
    }
    throw wrongType(index, "BYTES (byte[])", value);
  }

  /** The row's values in column order (byte arrays copied). */
  public List<Object> values() {
    Object[] copy = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      copy[i] = get(i);
    }
    return java.util.Arrays.asList(copy);
  }

  private BadRequestException wrongType(int index, String wanted, Object value) {
    return new BadRequestException(
        "column "
            + rows.columnNames().get(index)
            + " is "
            + rows.columnTypeName(index)
            + " (value "
            + value.getClass().getSimpleName()
            + "), not "
            + wanted);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(rows.columnNames().get(i)).append('=');
      Object value = values[i];
      out.append(value instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : value);
    }
    return out.append('}').toString();
  }
}
