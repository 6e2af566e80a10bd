package io.veritydb.api.internal;

/**
 * Who is asking, recorded with every command in the log: the actor (a principal the application
 * names) and the application's request id. Empty strings when not given.
 *
 * @param actor the principal, never null
 * @param requestId the request id, never null
 */
public record Session(String actor, String requestId) {
  public static final Session NONE = new Session("", "");

  public Session {
    if (actor == null || requestId == null) {
      throw new io.veritydb.types.BadRequestException(
          "actor and request id must not be null (use an empty string for none)");
    }
  }
}
