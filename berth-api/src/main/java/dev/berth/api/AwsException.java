package dev.berth.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * An error answered to an AWS client: the exception name it sees as {@code __type}, the HTTP status
 * and the message.
 */
public class AwsException extends RuntimeException {
  private final String code;
  private final int status;
  private final ObjectNode members;

  /** Creates an error with the given AWS exception name, HTTP status and message. */
  public AwsException(String code, int status, String message) {
    this(code, status, message, Json.object());
  }

  private AwsException(String code, int status, String message, ObjectNode members) {
    super(requireNonNull(message), null, false, false);
    this.code = requireNonNull(code);
    this.status = status;
    this.members = members.deepCopy();
  }

  /**
   * Returns an error whose body carries the exception shape's other members beside the message,
   * e.g. Cloud Map's NamespaceAlreadyExists with its NamespaceId.
   */
  public static AwsException withMembers(
      String code, int status, String message, Map<String, String> members) {
    ObjectNode body = Json.object();
    members.forEach(body::put);
    return new AwsException(code, status, message, body);
  }

  /**
   * Returns an error whose body carries the exception shape's other members, of any JSON type,
   * beside the message, e.g. ECS's ConflictException with its list of resourceIds.
   */
  public static AwsException withMembers(
      String code, int status, String message, ObjectNode members) {
    return new AwsException(code, status, message, requireNonNull(members));
  }

  /** Returns the AWS exception name, e.g. {@code ClusterNotFoundException}. */
  public String code() {
    return code;
  }

  /** Returns the HTTP status code of the error response. */
  public int status() {
    return status;
  }

  /** Returns a copy of the members of the error body besides the type and message. */
  public ObjectNode members() {
    return members.deepCopy();
  }

  /** Returns true if the client caused the error (a 4xx status). */
  public boolean isClientFault() {
    return status < 500;
  }

  /**
   * Returns the error as the AWS JSON protocols answer it: {@code {"__type": CODE, "message":
   * MESSAGE}} and the shape's other members.
   */
  public ObjectNode toJson() {
    ObjectNode body = Json.object();
    body.put("__type", code);
    body.put("message", getMessage());
    body.setAll(members.deepCopy());
    return body;
  }

  /**
   * Returns the AwsException a failure is, or wraps in CompletionExceptions; null if it is none (an
   * unexpected failure).
   */
  public static AwsException unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof AwsException aws ? aws : null;
  }

  @Override
  public String toString() {
    return code + " (" + status + "): " + getMessage();
  }
}
