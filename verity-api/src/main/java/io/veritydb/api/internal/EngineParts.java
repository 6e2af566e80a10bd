package io.veritydb.api.internal;

import io.veritydb.query.QueryEngine;
import io.veritydb.store.ProjectionStore;

/**
 * What the caller-side paths of an open engine share: the gate every call passes, the store they
 * read snapshots of, the SQL front end, the explanation of a shredded tenant's failures, and the
 * kernel agent and its thread that writes go to.
 */
record EngineParts(
    OpenGate gate,
    ProjectionStore store,
    QueryEngine queries,
    ShreddedTenants shredded,
    KernelAgent agent,
    KernelThread kernel) {}
