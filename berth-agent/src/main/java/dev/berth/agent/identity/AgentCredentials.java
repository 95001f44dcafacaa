package dev.berth.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The agent's own credentials, kept in {@code credentials.json} (0600) in its data directory: the
 * key of its container instance, got once by exchanging an activation (ECS Anywhere's activation id
 * and code) and used across restarts; rotated on demand.
 *
 * @param accessKeyId the instance's access key id
 * @param secretAccessKey its secret
 * @param region the region of the cluster
 * @param cluster the cluster the instance joins
 * @param containerInstanceArn the container instance the key belongs to
 */
public record AgentCredentials(
    String accessKeyId,
    String secretAccessKey,
    String region,
    String cluster,
    String containerInstanceArn) {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCredentials.class);

  /** The file in the agent's data directory that holds them. */
  public static final String FILE = "credentials.json";

  /** Returns them as the SDK's credentials. */
  public AwsCredentials toAws() {
    return AwsBasicCredentials.create(accessKeyId, secretAccessKey);
  }

  /** Returns the credentials kept in the data directory, or null if there are none. */
  public static AgentCredentials load(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
      return new AgentCredentials(
          node.path("accessKeyId").asText(),
          node.path("secretAccessKey").asText(),
          node.path("region").asText(),
          node.path("cluster").asText(),
          node.path("containerInstanceArn").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Exchanges an activation for the key of a new container instance and keeps it in the data
   * directory before returning it.
   */
  public static AgentCredentials activate(
      IdentityClient client, Path dataDir, String activationId, String activationCode) {
    JsonNode output =
        client.call(
            "RegisterManagedInstance",
            Json.object(),
            AwsBasicCredentials.create(activationId, activationCode));
    AgentCredentials credentials =
        new AgentCredentials(
            output.path("AccessKeyId").asText(),
            output.path("SecretAccessKey").asText(),
            output.path("Region").asText(),
            output.path("Cluster").asText(),
            output.path("ContainerInstanceArn").asText());
    credentials.save(dataDir);
    LOG.info(
        "activation {} exchanged for the key of {}",
        activationId,
        credentials.containerInstanceArn);
    return credentials;
  }

  /**
   * Rotates the key: creates a second key of the instance, keeps it, then deletes this one; returns
   * the new credentials.
   */
  public AgentCredentials rotate(IdentityClient client, Path dataDir) {
    JsonNode created = client.call("CreateAccessKey", Json.object(), toAws()).path("AccessKey");
    AgentCredentials next =
        new AgentCredentials(
            created.path("AccessKeyId").asText(),
            created.path("SecretAccessKey").asText(),
            region,
            cluster,
            containerInstanceArn);
    // Kept before the old key goes, so that a crash in between leaves a working key on disk.
    next.save(dataDir);
    ObjectNode delete = Json.object().put("AccessKeyId", accessKeyId);
    client.call("DeleteAccessKey", delete, next.toAws());
    LOG.info(
        "rotated the key of {} from {} to {}", containerInstanceArn, accessKeyId, next.accessKeyId);
    return next;
  }

  /** Writes the credentials atomically, readable by the agent's user only. */
  void save(Path dataDir) {
    ObjectNode node = Json.object();
    node.put("accessKeyId", accessKeyId);
    node.put("secretAccessKey", secretAccessKey);
    node.put("region", region);
    node.put("cluster", cluster);
    node.put("containerInstanceArn", containerInstanceArn);
    try {
      Files.createDirectories(dataDir);
      Path temp = dataDir.resolve(FILE + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, node.toString(), StandardCharsets.UTF_8);
      Files.move(
          temp,
          dataDir.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the agent's credentials in " + dataDir, e);
    }
  }
}
