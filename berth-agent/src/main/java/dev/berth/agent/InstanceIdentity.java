package dev.berth.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The container instance this agent registered as, kept in the agent's data directory so that a
 * restarted agent re-registers as the same instance and adopts its tasks, as the ECS agent does.
 */
record InstanceIdentity(String cluster, String containerInstanceArn) {
  private static final String FILE = "agent-instance.json";

  /** Returns the identity saved in the directory for that cluster and endpoint, or null. */
  static InstanceIdentity load(Path dataDir, String cluster) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
      InstanceIdentity identity =
          new InstanceIdentity(
              node.path("cluster").asText(), node.path("containerInstanceArn").asText());
      return identity.cluster().equals(cluster) && !identity.containerInstanceArn().isEmpty()
          ? identity
          : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Saves the identity atomically. */
  void save(Path dataDir) {
    ObjectNode node = Json.object();
    node.put("cluster", cluster);
    node.put("containerInstanceArn", containerInstanceArn);
    try {
      Files.createDirectories(dataDir);
      Path temp = dataDir.resolve(FILE + ".tmp");
      Files.writeString(temp, node.toString(), StandardCharsets.UTF_8);
      Files.move(
          temp,
          dataDir.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the agent's identity in " + dataDir, e);
    }
  }
}
