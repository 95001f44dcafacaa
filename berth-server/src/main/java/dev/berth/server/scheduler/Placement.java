package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What placement decided: the instance ARN of each task placed, in order, and the failures that
 * explain the tasks it could not place.
 */
public record Placement(List<String> chosen, List<Failure> failures) {
  /** Why one instance was refused, as ECS's {@code Failure}: the instance ARN and the reason. */
  public record Failure(String arn, String reason) {
    /** Creates a failure; both parts are required. */
    public Failure {
      requireNonNull(arn);
      requireNonNull(reason);
    }
  }

  /** Creates a placement; lists are copied. */
  public Placement {
    chosen = List.copyOf(chosen);
    failures = List.copyOf(failures);
  }
}
