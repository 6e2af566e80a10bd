package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.kernel.Command;
import io.veritydb.types.TenantId;
import java.util.concurrent.CompletableFuture;

/** One caller's command on its way to the kernel agent, with the future the agent completes. */
final class Request {
  final TenantId tenant;
  final Command command;
  final byte[] payload;
  final CompletableFuture<ExecuteResult> future = new CompletableFuture<>();

  Request(TenantId tenant, Command command, byte[] payload) {
    this.tenant = tenant;
    this.command = command;
    this.payload = payload;
  }
}
