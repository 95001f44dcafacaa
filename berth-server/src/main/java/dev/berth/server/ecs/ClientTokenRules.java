package dev.berth.server.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.ClientToken;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * ECS's idempotency rules for RunTask's {@code clientToken}: a token is up to 64 ASCII characters
 * from 33 to 126, scoped to its cluster and kept {@link ClientToken#TTL}; a retry with the same
 * parameters gets the first request's answer and starts nothing, a request with other parameters
 * gets a ConflictException naming the tasks the token already holds.
 */
final class ClientTokenRules {
  /** The longest RunTask client token ECS takes. */
  static final int MAX_RUN_TASK_TOKEN = 64;

  /** The longest CreateService client token ECS takes. */
  static final int MAX_CREATE_SERVICE_TOKEN = 36;

  private ClientTokenRules() {}

  /** Checks a token's length and characters as ECS documents them; null passes. */
  static String check(String token, int maxLength) {
    if (token == null) {
      return null;
    }
    boolean printable = token.chars().allMatch(c -> c >= 33 && c <= 126);
    if (token.isEmpty() || token.length() > maxLength || !printable) {
      throw EcsErrors.invalidParameter(
          "clientToken must be 1 to "
              + maxLength
              + " ASCII characters in the range of 33-126 (inclusive).");
    }
    return token;
  }

  /**
   * Returns a digest of a request's parameters without its token: two requests with the same digest
   * are the same request for ECS's idempotency.
   */
  static String digest(Record request) {
    ObjectNode parameters = Json.MAPPER.valueToTree(request);
    parameters.remove("clientToken");
    try {
      byte[] canonical =
          Json.MAPPER.writeValueAsString(parameters).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a request", e);
    }
  }

  /**
   * Returns the answer a retry gets, the first answer with each task as it is now, or throws ECS's
   * ConflictException if the token was first used with other parameters.
   */
  static JsonNode retry(ClientToken kept, String digest, ClusterState holder) {
    if (!kept.requestDigest().equals(digest)) {
      throw conflict(kept);
    }
    ObjectNode response = Json.object();
    ArrayNode tasks = response.putArray("tasks");
    for (String arn : kept.taskArns()) {
      Task task = holder.tasks().get(arn);
      if (task != null) {
        tasks.add(TaskJson.toJson(task, true));
      }
    }
    ArrayNode failures = response.putArray("failures");
    for (ClientToken.Failure failure : kept.failures()) {
      failures.addObject().put("arn", failure.arn()).put("reason", failure.reason());
    }
    return response;
  }

  private static AwsException conflict(ClientToken kept) {
    ObjectNode members = Json.object();
    ArrayNode resourceIds = members.putArray("resourceIds");
    kept.taskArns().forEach(resourceIds::add);
    return AwsException.withMembers(
        "ConflictException",
        400,
        "The provided clientToken is already in use with a different RunTask request. Run RunTask"
            + " with a unique clientToken, or with the clientToken and the original set of"
            + " parameters.",
        members);
  }
}
