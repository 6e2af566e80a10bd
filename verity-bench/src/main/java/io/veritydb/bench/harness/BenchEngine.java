package io.veritydb.bench.harness;

import java.nio.file.Path;

/** An engine under test, opened on one data directory. */
public interface BenchEngine extends AutoCloseable {
  /** The short name printed in every line: verity, h2, sqlite or hsqldb. */
  String name();

  /** The data directory (all of its files count in the bytes on disk). */
  Path directory();

  /** {@code CREATE TABLE patients (id BIGINT PRIMARY KEY, ...)} in the engine's dialect. */
  void createTable();

  /** {@code CREATE INDEX patients_ward ON patients (ward)}. */
  void createWardIndex();

  /** A new client for one thread. */
  BenchSession session();

  /** Closes cleanly (checkpoint / shutdown), so that the directory holds the durable state. */
  @Override
  void close();

  /** The row every engine stores for {@code id}: same name, ward and balance everywhere. */
  static String nameOf(long id) {
    return "patient-" + id;
  }

  /** Wards 0..99; 1% of the rows per ward. */
  int WARDS = 100;

  static int wardOf(long id) {
    return (int) (id % WARDS);
  }

  static long balanceOf(long id) {
    return id * 7;
  }
}
