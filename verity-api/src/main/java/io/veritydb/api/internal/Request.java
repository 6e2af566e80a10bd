package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.types.TenantId;
import java.util.concurrent.CompletableFuture;

/** One caller's command on its way to the kernel agent, with the future the agent completes. */
final class Request {
  final TenantId tenant;
  final String actor;
  final String requestId;

  final LoggedCommand command;

  final byte[] payload;
  final CompletableFuture<ExecuteResult> future = new CompletableFuture<>();

  /**
   * @param payload the {@link CommandEnvelope} as it goes into the log
   */
  Request(TenantId tenant, String actor, String requestId, LoggedCommand command, byte[] payload) {
    this.tenant = tenant;
    this.actor = actor;
    this.requestId = requestId;
    this.command = command;
    this.payload = payload;
  }
}
