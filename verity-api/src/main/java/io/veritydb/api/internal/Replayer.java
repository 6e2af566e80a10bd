package io.veritydb.api.internal;

import io.veritydb.kernel.Kernel;
import io.veritydb.storage.Log;
import io.veritydb.storage.LogCursor;
import io.veritydb.storage.LogRecord;
import io.veritydb.storage.RecordDescriptor;
import io.veritydb.store.ProjectionStore;
import io.veritydb.store.WriteBatch;
import io.veritydb.types.KeyException;
import io.veritydb.types.LogPosition;

/** Derives the store from the log: applies records after the store's position, in log order. */
final class Replayer {
  private Replayer() {}

  /** Applies every record after {@code store.appliedPosition()} up to {@code upTo}. */
  static long replay(
      Log log,
      ProjectionStore store,
      Kernel kernel,
      TenantCrypto crypto,
      boolean mayChangeKeys,
      LogPosition upTo) {
    long count = 0;
    try (LogCursor cursor = log.iterate(store.appliedPosition().next())) {
      while (cursor.next()) {
        LogRecord record = cursor.record();
        if (record.position().isAfter(upTo)) {
          break;
        }
        apply(record, store, kernel, crypto, mayChangeKeys);
        count++;
      }
    }
    return count;
  }

  static void apply(
      LogRecord record,
      ProjectionStore store,
      Kernel kernel,
      TenantCrypto crypto,
      boolean mayChangeKeys) {
    if (record.kind() == RecordKinds.COMMAND) {
      byte[] payload = record.payload();
      if ((record.flags() & RecordDescriptor.FLAG_ENCRYPTED) != 0) {
        if (crypto == null) {
          throw new KeyException(
              "the log record at " + record.position() + " is encrypted and no keys are available");
        }
        if (crypto.isShredded(record.tenant())) {
          // Crypto-shredded: the tenant's commands are gone from every derived state.
          store.apply(record.position(), new WriteBatch());
          return;
        }
        payload = crypto.decrypt(record.tenant(), record.position().value(), payload);
      }
      String where = "log record at " + record.position();
      CommandEnvelope envelope = CommandEnvelope.decode(payload, where);
      CommandApplier.apply(
          store,
          kernel,
          record.tenant(),
          record.position(),
          record.timestampMicros(),
          envelope.actor(),
          envelope.requestId(),
          CommandApplier.decode(envelope, where),
          crypto,
          mayChangeKeys);
    } else {
      store.apply(record.position(), new WriteBatch());
    }
  }
}
