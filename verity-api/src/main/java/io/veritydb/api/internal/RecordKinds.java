package io.veritydb.api.internal;

/** The log record kinds the runtime writes (the log reserves kinds below 16 for itself). */
final class RecordKinds {
  /** A kernel command encoded by {@link io.veritydb.kernel.CommandCodec}. */
  static final byte COMMAND = 16;

  private RecordKinds() {}
}
