package io.veritydb.query;

import io.veritydb.kernel.Catalog;
import io.veritydb.store.StoreReader;
import io.veritydb.types.LogPosition;
import io.veritydb.types.TenantId;
import java.util.Arrays;

/**
 * One statement's SELECT plan templates. Keyed by the table's catalog descriptor bytes (read at the
 * query's position: one store read per execution, never stale, see docs/notes-kernel-query.md),
 * and, when the caller vouches for a catalog version, also by (tenant, version) so that even that
 * read is skipped. Bounded ({@link #MAX_PLANS} of each); copy on write, thread-safe (a race at
 * worst builds a template twice).
 */
final class PlanCache {
  /**
   * The most plan templates one statement keeps: one per table definition it has run against (the
   * newest, older ones for queries at past positions, another tenant's differing table).
   */
  static final int MAX_PLANS = 4;

  private static final SelectExecutor.Template[] NO_PLANS = new SelectExecutor.Template[0];
  private static final Versioned[] NO_VERSIONS = new Versioned[0];

  /** The catalog key of the table read, for the tenant that ran the statement last. */
  private static final class EntryKey {
    final TenantId tenant;
    final byte[] key;

    EntryKey(TenantId tenant, byte[] key) {
      this.tenant = tenant;
      this.key = key;
    }
  }

  /** A template known to be right for a tenant's catalog version. */
  private static final class Versioned {
    final TenantId tenant;
    final long version;
    final SelectExecutor.Template template;

    Versioned(TenantId tenant, long version, SelectExecutor.Template template) {
      this.tenant = tenant;
      this.version = version;
      this.template = template;
    }
  }

  private volatile EntryKey entryKey;

  /** Templates by descriptor, most recently made first; replaced whole. */
  private volatile SelectExecutor.Template[] plans = NO_PLANS;

  /** Templates by (tenant, catalog version), most recently made first; replaced whole. */
  private volatile Versioned[] versioned = NO_VERSIONS;

  /**
   * The template of {@code s} for the table as it is at {@code at}: from the cache when one was
   * made for the same descriptor (one store read and a byte comparison), else made and cached.
   */
  SelectExecutor.Template template(
      Stmt.Select s, StoreReader snapshot, LogPosition at, TenantId tenant, Object[] ps) {
    EntryKey key = entryKey;
    if (key == null || !key.tenant.equals(tenant)) {
      key = new EntryKey(tenant, Catalog.entryKey(tenant, s.table()));
      entryKey = key;
    }
    byte[] entry = Catalog.entry(snapshot, at, key.key);
    if (entry == null) {
      throw Catalog.missing(snapshot, at, s.table());
    }
    SelectExecutor.Template[] cached = plans;
    for (SelectExecutor.Template t : cached) {
      if (Arrays.equals(t.catalogEntry, entry)) {
        return t;
      }
    }
    SelectExecutor.Template made = SelectExecutor.template(s, entry, ps);
    int keep = Math.min(cached.length, MAX_PLANS - 1);
    SelectExecutor.Template[] next = new SelectExecutor.Template[keep + 1];
    next[0] = made;
    System.arraycopy(cached, 0, next, 1, keep);
    plans = next;
    return made;
  }

  /**
   * The template for {@code tenant}'s catalog {@code version} without reading the store when this
   * statement ran with the same pair before; else {@link #template} (which reads and checks that
   * the table exists), remembered under the pair.
   */
  SelectExecutor.Template template(
      Stmt.Select s,
      StoreReader snapshot,
      LogPosition at,
      TenantId tenant,
      long version,
      Object[] ps) {
    Versioned[] cached = versioned;
    for (Versioned v : cached) {
      if (v.version == version && v.tenant.equals(tenant)) {
        return v.template;
      }
    }
    SelectExecutor.Template made = template(s, snapshot, at, tenant, ps);
    int keep = Math.min(cached.length, MAX_PLANS - 1);
    Versioned[] next = new Versioned[keep + 1];
    next[0] = new Versioned(tenant, version, made);
    System.arraycopy(cached, 0, next, 1, keep);
    versioned = next;
    return made;
  }

  /** How many templates are cached by descriptor. */
  int size() {
    return plans.length;
  }
}
