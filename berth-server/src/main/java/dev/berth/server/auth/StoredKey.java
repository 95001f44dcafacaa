package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;

/**
 * One access key as the server keeps it: its secret, its scope and, for an instance's key or an
 * activation, what it is bound to.
 *
 * @param accessKeyId the access key id (an activation's id)
 * @param secret the secret access key (an activation's code), clear in memory only
 * @param scope what the key may do
 * @param active false once disabled (IAM's Inactive) or retired with its instance
 * @param createdAt when the key was made, epoch millis
 * @param region the region an instance's key or an activation is for, else null
 * @param cluster the cluster an instance's key or an activation is for, else null
 * @param containerInstanceArn the container instance an instance's key belongs to, else null
 * @param description an activation's description, else null
 * @param expiresAt when an activation expires, epoch millis, else null
 * @param registrationLimit how many instances an activation may register (0 for keys)
 * @param registrationsCount how many instances an activation has registered
 */
public record StoredKey(
    String accessKeyId,
    String secret,
    KeyScope scope,
    boolean active,
    long createdAt,
    String region,
    String cluster,
    String containerInstanceArn,
    String description,
    Long expiresAt,
    int registrationLimit,
    int registrationsCount) {

  /** Creates a stored key; the id, secret and scope are required. */
  public StoredKey {
    requireNonNull(accessKeyId);
    requireNonNull(secret);
    requireNonNull(scope);
  }

  /** Returns true if the key signs requests now: active, and an activation not spent or expired. */
  boolean usableAt(long now) {
    if (!active) {
      return false;
    }
    return scope != KeyScope.ACTIVATION
        || (expiresAt == null || now < expiresAt) && registrationsCount < registrationLimit;
  }

  /** Returns the key with its status set. */
  StoredKey withActive(boolean status) {
    return new StoredKey(
        accessKeyId,
        secret,
        scope,
        status,
        createdAt,
        region,
        cluster,
        containerInstanceArn,
        description,
        expiresAt,
        registrationLimit,
        registrationsCount);
  }

  /** Returns the activation with one more registration counted. */
  StoredKey withRegistration() {
    return new StoredKey(
        accessKeyId,
        secret,
        scope,
        active,
        createdAt,
        region,
        cluster,
        containerInstanceArn,
        description,
        expiresAt,
        registrationLimit,
        registrationsCount + 1);
  }

  /** Returns the stored form, its secret sealed by the box. */
  String toStored(SecretBox box) {
    ObjectNode body = Json.object();
    body.put("sealedSecret", box.seal(secret));
    body.put("scope", scope.text());
    body.put("status", active ? "Active" : "Inactive");
    body.put("createdAt", createdAt);
    putIfPresent(body, "region", region);
    putIfPresent(body, "cluster", cluster);
    putIfPresent(body, "containerInstanceArn", containerInstanceArn);
    putIfPresent(body, "description", description);
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt);
    }
    if (scope == KeyScope.ACTIVATION) {
      body.put("registrationLimit", registrationLimit);
      body.put("registrationsCount", registrationsCount);
    }
    return body.toString();
  }

  /**
   * Returns the key a stored body holds: sealed, or clear as stores written before secrets were
   * sealed hold it (those keys were all admin keys).
   */
  static StoredKey fromStored(String accessKeyId, JsonNode body, SecretBox box) {
    String sealed = Json.text(body, "sealedSecret");
    String secret = sealed != null ? box.open(sealed) : Json.text(body, "secretAccessKey");
    KeyScope scope = KeyScope.of(body.path("scope").asText("admin"));
    if (secret == null || scope == null) {
      throw new IllegalStateException("unreadable access key " + accessKeyId);
    }
    return new StoredKey(
        accessKeyId,
        secret,
        scope,
        !"Inactive".equals(Json.text(body, "status")),
        body.path("createdAt").asLong(),
        Json.text(body, "region"),
        Json.text(body, "cluster"),
        Json.text(body, "containerInstanceArn"),
        Json.text(body, "description"),
        body.has("expiresAt") ? body.get("expiresAt").asLong() : null,
        body.path("registrationLimit").asInt(0),
        body.path("registrationsCount").asInt(0));
  }

  private static void putIfPresent(ObjectNode body, String name, String value) {
    if (value != null) {
      body.put(name, value);
    }
  }
}
