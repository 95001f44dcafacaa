package dev.berth.server.logs;

import dev.berth.api.AwsException;
import java.util.Map;

/** CloudWatch Logs' exceptions by their model names, with the messages the service answers. */
final class LogsErrors {
  private LogsErrors() {}

  /** Returns an InvalidParameterException: a parameter is not valid. */
  static AwsException invalidParameter(String message) {
    return new AwsException("InvalidParameterException", 400, message);
  }

  /** Returns the ResourceNotFoundException of a missing log group. */
  static AwsException groupNotFound() {
    return new AwsException(
        "ResourceNotFoundException", 400, "The specified log group does not exist.");
  }

  /** Returns the ResourceNotFoundException of a missing log stream. */
  static AwsException streamNotFound() {
    return new AwsException(
        "ResourceNotFoundException", 400, "The specified log stream does not exist.");
  }

  /** Returns the ResourceAlreadyExistsException of a log group. */
  static AwsException groupExists() {
    return new AwsException(
        "ResourceAlreadyExistsException", 400, "The specified log group already exists");
  }

  /** Returns the ResourceAlreadyExistsException of a log stream. */
  static AwsException streamExists() {
    return new AwsException(
        "ResourceAlreadyExistsException", 400, "The specified log stream already exists");
  }

  /** Returns a TooManyTagsException naming the resource. */
  static AwsException tooManyTags(String resourceName) {
    return AwsException.withMembers(
        "TooManyTagsException",
        400,
        "A resource can have no more than 50 tags.",
        Map.of("resourceName", resourceName));
  }

  /** Returns a ServiceUnavailableException, which AWS clients retry. */
  static AwsException unavailable(String message) {
    return new AwsException("ServiceUnavailableException", 503, message);
  }
}
