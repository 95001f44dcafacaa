package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A RunTask request's client token as a cluster keeps it: the request it was first used with (as a
 * digest of its parameters), the tasks that request started and the failures it answered, so that a
 * retry with the same token is answered the same and starts nothing. It is stored in the same
 * command as the tasks it names, so a crash keeps both or neither.
 *
 * @param key the cluster's ARN, a slash and the token ({@link #keyOf})
 * @param requestDigest a digest of the request's parameters other than the token
 * @param taskArns the tasks the request started, in the order it answered them
 * @param failures the placement failures it answered
 * @param createdAt when the token was first used, in epoch millis
 */
public record ClientToken(
    String key,
    String requestDigest,
    List<String> taskArns,
    List<Failure> failures,
    long createdAt) {
  /** How long ECS keeps a RunTask client token: 24 hours. */
  public static final Duration TTL = Duration.ofHours(24);

  /** A failure the first request answered, as ECS's {@code Failure} shape. */
  public record Failure(String arn, String reason) {}

  /** Creates a token record; lists are copied. */
  public ClientToken {
    requireNonNull(key);
    requireNonNull(requestDigest);
    taskArns = List.copyOf(taskArns);
    failures = List.copyOf(failures);
  }

  /** Returns the key a token is kept under in a cluster: the cluster's ARN, a slash, the token. */
  public static String keyOf(String clusterArn, String token) {
    return clusterArn + "/" + token;
  }

  /** Returns true once the token is older than ECS keeps tokens. */
  public boolean expired(long now) {
    return now - createdAt >= TTL.toMillis();
  }
}
