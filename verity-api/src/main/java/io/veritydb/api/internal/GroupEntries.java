package io.veritydb.api.internal;

import io.veritydb.crypto.EnvelopeCipher;
import io.veritydb.storage.LogEntry;
import io.veritydb.storage.RecordDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The log entries of a group: each request's payload, encrypted when its tenant's are. The nonce is
 * drawn here, on the kernel thread, so a tenant whose keys cannot encrypt is rejected before
 * anything is written; for a group appended while it is applied, the cipher work itself is left to
 * the append ({@link #seals()}), off the kernel thread's critical path.
 */
final class GroupEntries {
  /** A group of one command this large is still applied while it is appended. */
  static final long AHEAD_MIN_BYTES = 4096;

  private final TenantCrypto crypto;
  private final boolean encrypt;
  private final List<LogEntry> entries;
  private final List<EnvelopeCipher.Sealing> seals;

  /** {@code crypto} null: nothing is encrypted. */
  GroupEntries(TenantCrypto crypto, boolean encrypt, int maxCommands) {
    this.crypto = crypto;
    this.encrypt = encrypt && crypto != null;
    this.entries = new ArrayList<>(maxCommands);
    this.seals = new ArrayList<>(maxCommands);
  }

  void clear() {
    entries.clear();
    seals.clear();
  }

  List<LogEntry> entries() {
    return entries;
  }

  /** The encryptions of the entries whose payloads the append seals before hashing. */
  List<EnvelopeCipher.Sealing> seals() {
    return seals;
  }

  /**
   * Adds the entry of {@code request} at {@code position}, stamped {@code micros}; with {@code
   * sealLater} its encryption is sealed by the append (the entry's payload array is filled in
   * before it is hashed). Throws, adding nothing, when the tenant's keys cannot encrypt.
   */
  void add(Request request, long micros, long position, boolean sealLater) {
    if (!encrypt || request.tenant.isSystem()) {
      entries.add(new LogEntry(RecordKinds.COMMAND, request.tenant, micros, 0, request.payload));
      return;
    }
    EnvelopeCipher.Sealing sealing = crypto.prepare(request.tenant, position, request.payload);
    if (sealLater) {
      seals.add(sealing);
    } else {
      sealing.seal();
    }
    entries.add(
        new LogEntry(
            RecordKinds.COMMAND,
            request.tenant,
            micros,
            RecordDescriptor.FLAG_ENCRYPTED,
            sealing.envelope()));
  }

  /**
   * Whether to apply {@code group} while it is appended. Not for a group of one small command (the
   * handover would cost more than the overlap saves), and not when a command of the system tenant
   * is in it: shredding a tenant destroys its keys while applying, which must not happen for a
   * command that might not reach the log.
   */
  static boolean worthApplyingAhead(List<Request> group) {
    long bytes = 0;
    for (Request request : group) {
      if (request.tenant.isSystem()) {
        return false;
      }
      bytes += request.payload.length;
    }
    return group.size() > 1 || bytes >= AHEAD_MIN_BYTES;
  }
}
