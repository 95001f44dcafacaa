package dev.berth.server.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.api.Ids;
import dev.berth.api.Json;
import dev.berth.server.api.AwsJsonService;
import dev.berth.server.api.RequestContext;
import dev.berth.server.auth.AccessKeys;
import dev.berth.server.auth.Authority;
import dev.berth.server.auth.Caller;
import dev.berth.server.auth.KeyScope;
import dev.berth.server.auth.StoredKey;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Berth's identity service on the one endpoint (AWS JSON 1.1, target prefix {@code BerthIdentity},
 * signing name {@code berth}): access keys in IAM's shapes (CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey, with a Scope), activations in SSM's shapes (CreateActivation,
 * DescribeActivations, DeleteActivation), and RegisterManagedInstance, which an agent signs with an
 * activation to get its instance's own key, as ECS Anywhere's SSM agent does.
 */
public final class IdentityService implements AwsJsonService {
  /** The target prefix of the service's operations. */
  public static final String TARGET_PREFIX = "BerthIdentity";

  /** How long an activation lasts unless told, as SSM's default. */
  static final Duration DEFAULT_ACTIVATION_LIFETIME = Duration.ofHours(24);

  /** The longest an activation may last, as SSM's limit. */
  static final Duration MAX_ACTIVATION_LIFETIME = Duration.ofDays(30);

  /** The most instances one activation may register, as SSM's limit. */
  static final int MAX_REGISTRATION_LIMIT = 1000;

  private final AccessKeys keys;
  private final Clock clock;

  /** Creates the service over the server's keys. */
  public IdentityService(AccessKeys keys, Clock clock) {
    this.keys = requireNonNull(keys);
    this.clock = requireNonNull(clock);
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public String signingName() {
    return Authority.IDENTITY_SIGNING_NAME;
  }

  @Override
  public CompletableFuture<? extends JsonNode> invoke(
      String operation, JsonNode input, RequestContext context) {
    // Storing a key waits for the store: not on the event loop that read the request.
    return CompletableFuture.supplyAsync(
        () -> run(operation, input, context),
        command -> Thread.ofVirtual().name("berth-identity").start(command));
  }

  private JsonNode run(String operation, JsonNode input, RequestContext context) {
    Caller caller = context.caller();
    return switch (operation) {
      case "CreateAccessKey" -> createAccessKey(input, caller);
      case "ListAccessKeys" -> listAccessKeys(caller);
      case "UpdateAccessKey" -> updateAccessKey(input, caller);
      case "DeleteAccessKey" -> deleteAccessKey(input, caller);
      case "CreateActivation" -> createActivation(input, context);
      case "DescribeActivations" -> describeActivations();
      case "DeleteActivation" -> deleteActivation(input);
      case Authority.REGISTER_WITH_ACTIVATION -> registerManagedInstance(context);
      default ->
          throw new AwsException(
              "UnknownOperationException", 400, "Berth's identity service has no " + operation);
    };
  }

  /**
   * Creates an admin or read-only key ({@code Scope}, default admin); signed with an instance's
   * key, a second key of that instance, to rotate to.
   */
  private JsonNode createAccessKey(JsonNode input, Caller caller) {
    StoredKey key;
    if (caller.isInstance()) {
      StoredKey own = keys.get(caller.accessKeyId());
      key = keys.createInstanceKey(own.region(), own.cluster(), own.containerInstanceArn());
    } else {
      String scopeName = Json.text(input, "Scope");
      KeyScope scope = scopeName == null ? KeyScope.ADMIN : KeyScope.of(scopeName);
      if (scope != KeyScope.ADMIN && scope != KeyScope.READ_ONLY) {
        throw validation("Scope must be admin or read-only.");
      }
      key = keys.create(scope);
    }
    ObjectNode accessKey = metadata(key);
    accessKey.put("SecretAccessKey", key.secret());
    ObjectNode output = Json.object();
    output.set("AccessKey", accessKey);
    return output;
  }

  private JsonNode listAccessKeys(Caller caller) {
    ObjectNode output = Json.object();
    ArrayNode list = output.putArray("AccessKeyMetadata");
    for (StoredKey key : keys.all()) {
      if (key.scope() != KeyScope.ACTIVATION && visibleTo(caller, key)) {
        list.add(metadata(key));
      }
    }
    output.put("IsTruncated", false);
    return output;
  }

  private JsonNode updateAccessKey(JsonNode input, Caller caller) {
    StoredKey key = ownKey(input, caller);
    String status = Json.text(input, "Status");
    if (!"Active".equals(status) && !"Inactive".equals(status)) {
      throw validation("Status must be Active or Inactive.");
    }
    keys.setActive(key.accessKeyId(), "Active".equals(status));
    return Json.object();
  }

  private JsonNode deleteAccessKey(JsonNode input, Caller caller) {
    keys.delete(ownKey(input, caller).accessKeyId());
    return Json.object();
  }

  private JsonNode createActivation(JsonNode input, RequestContext context) {
    String cluster = Json.text(input, "Cluster");
    if (cluster == null || cluster.isBlank()) {
      throw validation("Cluster is required: the cluster the activation's instances join.");
    }
    int limit = input.path("RegistrationLimit").asInt(1);
    if (limit < 1 || limit > MAX_REGISTRATION_LIMIT) {
      throw validation("RegistrationLimit must be between 1 and " + MAX_REGISTRATION_LIMIT + ".");
    }
    long now = clock.millis();
    long expiresAt =
        input.has("ExpirationDate")
            ? input.get("ExpirationDate").decimalValue().movePointRight(3).longValue()
            : now + DEFAULT_ACTIVATION_LIFETIME.toMillis();
    if (expiresAt <= now || expiresAt > now + MAX_ACTIVATION_LIFETIME.toMillis()) {
      throw validation("ExpirationDate must be in the future and at most 30 days away.");
    }
    String clusterName =
        cluster.contains("/") ? cluster.substring(cluster.lastIndexOf('/') + 1) : cluster;
    StoredKey activation =
        keys.createActivation(
            context.region(), clusterName, Json.text(input, "Description"), expiresAt, limit);
    ObjectNode output = Json.object();
    output.put("ActivationId", activation.accessKeyId());
    output.put("ActivationCode", activation.secret());
    return output;
  }

  private JsonNode describeActivations() {
    ObjectNode output = Json.object();
    ArrayNode list = output.putArray("ActivationList");
    long now = clock.millis();
    for (StoredKey key : keys.all()) {
      if (key.scope() == KeyScope.ACTIVATION) {
        ObjectNode activation = list.addObject();
        activation.put("ActivationId", key.accessKeyId());
        if (key.description() != null) {
          activation.put("Description", key.description());
        }
        activation.put("Cluster", key.cluster());
        activation.put("RegistrationLimit", key.registrationLimit());
        activation.put("RegistrationsCount", key.registrationsCount());
        activation.put("ExpirationDate", seconds(key.expiresAt()));
        activation.put("Expired", key.expiresAt() != null && now >= key.expiresAt());
        activation.put("CreatedDate", seconds(key.createdAt()));
      }
    }
    return output;
  }

  private JsonNode deleteActivation(JsonNode input) {
    StoredKey activation = keys.get(Json.text(input, "ActivationId"));
    if (activation == null || activation.scope() != KeyScope.ACTIVATION) {
      throw new AwsException(
          "InvalidActivationId", 400, "The activation ID is not valid. Verify it and try again.");
    }
    keys.delete(activation.accessKeyId());
    return Json.object();
  }

  /**
   * Counts a registration against the activation that signed and answers the new container
   * instance's ARN and key; the agent registers that instance with the key next.
   */
  private JsonNode registerManagedInstance(RequestContext context) {
    StoredKey activation = keys.get(context.caller().accessKeyId());
    String arn =
        Arn.ecs(
                activation.region(),
                context.accountId(),
                "container-instance/" + activation.cluster() + "/" + Ids.timeOrderedHex())
            .toString();
    StoredKey key = keys.registerWith(activation.accessKeyId(), arn);
    if (key == null) {
      throw new AwsException(
          "InvalidActivation", 400, "The activation is not valid: it expired or is used up.");
    }
    ObjectNode output = Json.object();
    output.put("AccessKeyId", key.accessKeyId());
    output.put("SecretAccessKey", key.secret());
    output.put("Region", key.region());
    output.put("Cluster", key.cluster());
    output.put("ContainerInstanceArn", key.containerInstanceArn());
    return output;
  }

  /** Returns the key the input names if the caller may change it: any for admins, else its own. */
  private StoredKey ownKey(JsonNode input, Caller caller) {
    StoredKey key = keys.get(Json.text(input, "AccessKeyId"));
    if (key == null || key.scope() == KeyScope.ACTIVATION || !visibleTo(caller, key)) {
      throw new AwsException(
          "NoSuchEntity",
          404,
          "The Access Key with id " + Json.text(input, "AccessKeyId") + " cannot be found.");
    }
    return key;
  }

  private static boolean visibleTo(Caller caller, StoredKey key) {
    return !caller.isInstance() || caller.containerInstanceArn().equals(key.containerInstanceArn());
  }

  private static ObjectNode metadata(StoredKey key) {
    ObjectNode node = Json.object();
    node.put("UserName", key.scope().text());
    node.put("AccessKeyId", key.accessKeyId());
    node.put("Status", key.active() ? "Active" : "Inactive");
    node.put("CreateDate", seconds(key.createdAt()));
    node.put("Scope", key.scope().text());
    if (key.cluster() != null) {
      node.put("Cluster", key.cluster());
    }
    if (key.containerInstanceArn() != null) {
      node.put("ContainerInstanceArn", key.containerInstanceArn());
    }
    return node;
  }

  private static BigDecimal seconds(Long millis) {
    return millis == null ? null : BigDecimal.valueOf(millis).movePointLeft(3);
  }

  private static AwsException validation(String message) {
    return new AwsException("ValidationException", 400, message);
  }
}
