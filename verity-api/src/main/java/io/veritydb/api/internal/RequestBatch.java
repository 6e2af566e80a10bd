package io.veritydb.api.internal;

import io.veritydb.types.ClosedException;
import io.veritydb.types.VerityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The group of requests the kernel agent writes next: taken off the callers' queue up to a number
 * of commands and of bytes. A request that does not fit waits as the first of the next group. Used
 * on the kernel thread only, except {@link #waiting()}.
 */
final class RequestBatch {
  private final ManyToOneConcurrentArrayQueue<Request> queue;
  private final int maxCommands;
  private final long maxBytes;
  private final List<Request> requests;
  private Request carried;

  RequestBatch(ManyToOneConcurrentArrayQueue<Request> queue, int maxCommands, long maxBytes) {
    this.queue = queue;
    this.maxCommands = maxCommands;
    this.maxBytes = maxBytes;
    this.requests = new ArrayList<>(maxCommands);
  }

  /** Takes requests off the queue up to the limits; one that does not fit waits. */
  void collect() {
    long bytes = 0;
    if (carried != null) {
      requests.add(carried);
      bytes += carried.payload.length;
      carried = null;
    }
    while (requests.size() < maxCommands) {
      Request request = queue.poll();
      if (request == null) {
        break;
      }
      if (!requests.isEmpty() && bytes + request.payload.length > maxBytes) {
        carried = request;
        break;
      }
      requests.add(request);
      bytes += request.payload.length;
    }
  }

  /** The group, in log order. */
  List<Request> requests() {
    return requests;
  }

  int size() {
    return requests.size();
  }

  boolean isEmpty() {
    return requests.isEmpty();
  }

  Request get(int i) {
    return requests.get(i);
  }

  /** Fails request {@code i} with {@code e}; {@link #dropFailed()} takes it out of the group. */
  void fail(int i, VerityException e) {
    requests.get(i).future.completeExceptionally(e);
    requests.set(i, null);
  }

  /** Removes the requests failed by {@link #fail}. */
  void dropFailed() {
    requests.removeIf(Objects::isNull);
  }

  /** Fails every request of the group with {@code failure} and empties it. */
  void failAll(VerityException failure) {
    for (Request request : requests) {
      request.future.completeExceptionally(failure);
    }
    requests.clear();
  }

  void clear() {
    requests.clear();
  }

  /** Whether requests wait beyond the group: queued, or carried over. */
  boolean hasQueued() {
    return carried != null || !queue.isEmpty();
  }

  /** Requests waiting for the next group, about (the queue's size is approximate). */
  int waiting() {
    return queue.size() + (carried == null ? 0 : 1);
  }

  /** Fails every waiting request with {@code failure} (null: the database closed); how many. */
  int failQueued(VerityException failure) {
    VerityException cause =
        failure != null
            ? failure
            : new ClosedException("the database was closed before this command was written");
    int count = 0;
    if (carried != null) {
      carried.future.completeExceptionally(cause);
      carried = null;
      count++;
    }
    Request request;
    while ((request = queue.poll()) != null) {
      request.future.completeExceptionally(cause);
      count++;
    }
    return count;
  }
}
