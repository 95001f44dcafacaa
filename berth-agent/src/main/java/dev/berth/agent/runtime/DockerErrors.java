package dev.berth.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.DockerException;
import dev.berth.api.Json;
import java.io.IOException;

/** Puts Docker's failures in the words ECS shows users: "Error response from daemon: ...". */
final class DockerErrors {
  private DockerErrors() {}

  /** Returns the daemon's own message for a failure, or the failure's message. */
  static String describe(Throwable error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage().trim();
    int brace = message.indexOf('{');
    if (error instanceof DockerException && brace >= 0) {
      try {
        JsonNode node = Json.MAPPER.readTree(message.substring(brace));
        String daemon = Json.text(node, "message");
        if (daemon != null) {
          return "Error response from daemon: " + daemon;
        }
      } catch (IOException notJson) {
        // Fall through to the raw message.
      }
    }
    return message;
  }
}
