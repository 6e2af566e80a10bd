package io.veritydb.api.internal;

import io.veritydb.api.ExecuteResult;
import io.veritydb.kernel.Reply;
import io.veritydb.types.LogPosition;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers of the group being applied, held until the group is published: no caller is answered
 * before a snapshot can see its write. Per command, the kernel's {@link Reply} or the exception to
 * answer with.
 */
final class GroupReplies {
  /** One command's answer: a reply, or (reply null) a failure. */
  private record Answer(Reply reply, VerityException failure) {}

  private final List<Answer> answers;

  GroupReplies(int maxCommands) {
    this.answers = new ArrayList<>(maxCommands);
  }

  void add(Reply reply) {
    answers.add(new Answer(reply, null));
  }

  void add(VerityException failure) {
    answers.add(new Answer(null, failure));
  }

  void clear() {
    answers.clear();
  }

  /** Completes each request of the published group, the first at position {@code first}. */
  void answer(List<Request> group, long first) {
    for (int i = 0; i < group.size(); i++) {
      Request request = group.get(i);
      Answer answer = answers.get(i);
      if (answer.failure != null) {
        request.future.completeExceptionally(answer.failure);
        continue;
      }
      switch (answer.reply.kind()) {
        case APPLIED ->
            request.future.complete(
                new ExecuteResult(
                    LogPosition.of(first + i), ((Reply.Applied) answer.reply).rowsAffected()));
        case REJECTED ->
            request.future.completeExceptionally(((Reply.Rejected) answer.reply).toException());
      }
    }
  }

  /**
   * After a failed apply or publish: nothing of the group is visible. The first {@code applied}
   * commands are durable in the log (a reopen replays them); the rest are too but were not applied.
   */
  static void failApplied(List<Request> group, long first, int applied, VerityException failure) {
    for (int i = 0; i < group.size(); i++) {
      Request request = group.get(i);
      if (i < applied) {
        request.future.completeExceptionally(
            new UnavailableException(
                "the command at position "
                    + (first + i)
                    + " is durable in the log, but the database stopped before it became visible: "
                    + failure.getMessage(),
                failure));
      } else {
        request.future.completeExceptionally(failure);
      }
    }
  }
}
