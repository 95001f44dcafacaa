package dev.berth.server.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;

/**
 * The log group a request names, by {@code logGroupName} or by {@code logGroupIdentifier} (a name
 * or an ARN, with or without its trailing {@code :*}), as the operations that take both accept.
 */
final class GroupIdentifier {
  private static final String ARN_PREFIX = "arn:aws:logs:";

  private GroupIdentifier() {}

  /**
   * Returns the group name a request gives, or throws InvalidParameterException when it gives both
   * members or neither.
   */
  static String nameOf(ObjectNode input, RequestContext context) {
    String name = Json.text(input, "logGroupName");
    String identifier = Json.text(input, "logGroupIdentifier");
    if (name != null && identifier != null) {
      throw LogsErrors.invalidParameter(
          "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
    }
    if (name == null && identifier == null) {
      throw LogsErrors.invalidParameter("Either logGroupName or logGroupIdentifier is required.");
    }
    return name != null ? name : fromIdentifier(identifier, context);
  }

  /** Returns the group name of a name or an ARN in the caller's region and account. */
  static String fromIdentifier(String identifier, RequestContext context) {
    if (!identifier.startsWith("arn:")) {
      return identifier;
    }
    String prefix = ARN_PREFIX + context.region() + ":" + context.accountId() + ":log-group:";
    if (!identifier.startsWith(prefix)) {
      if (identifier.startsWith(ARN_PREFIX) && identifier.contains(":log-group:")) {
        throw LogsErrors.groupNotFound();
      }
      throw LogsErrors.invalidParameter("Invalid log group ARN: " + identifier);
    }
    String name = identifier.substring(prefix.length());
    if (name.endsWith(":*")) {
      name = name.substring(0, name.length() - 2);
    }
    if (name.isEmpty() || name.contains(":")) {
      throw LogsErrors.invalidParameter("Invalid log group ARN: " + identifier);
    }
    return name;
  }
}
