package dev.berth.server.scheduler.query;

import dev.berth.api.AwsException;

/** The InvalidParameterException ECS answers for an expression that does not parse. */
final class QueryErrors {
  private QueryErrors() {}

  /** Returns the error for a fault at a character index of the expression (counted from 0). */
  static AwsException at(int position, String message) {
    return new AwsException(
        "InvalidParameterException",
        400,
        "Invalid cluster query expression at position " + position + ": " + message);
  }
}
