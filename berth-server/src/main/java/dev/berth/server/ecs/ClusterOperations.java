package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.ecs.request.CreateClusterRequest;
import dev.berth.server.ecs.request.DeleteClusterRequest;
import dev.berth.server.ecs.request.DescribeClustersRequest;
import dev.berth.server.ecs.request.ListClustersRequest;
import dev.berth.server.ecs.request.PutClusterCapacityProvidersRequest;
import dev.berth.server.ecs.request.UpdateClusterRequest;
import dev.berth.server.ecs.request.UpdateClusterSettingsRequest;
import dev.berth.server.ecs.state.Cluster;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Tasks;
import dev.berth.server.statemachine.CommandResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The ECS cluster operations: CreateCluster, DescribeClusters, ListClusters, UpdateCluster,
 * UpdateClusterSettings, PutClusterCapacityProviders and DeleteCluster; their settings' and
 * capacity providers' rules are {@link ClusterRules}.
 */
final class ClusterOperations {
  private static final int MAX_DESCRIBE = 100;
  private static final String CONTAINER_INSIGHTS = "containerInsights";

  private final EcsResources resources;
  private final Clock clock;

  ClusterOperations(EcsResources resources, Clock clock) {
    this.resources = requireNonNull(resources);
    this.clock = requireNonNull(clock);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put(
        "CreateCluster", EcsOperation.typed(CreateClusterRequest.class, this::createCluster));
    operations.put(
        "DescribeClusters",
        EcsOperation.typed(DescribeClustersRequest.class, this::describeClusters));
    operations.put(
        "ListClusters", EcsOperation.typed(ListClustersRequest.class, this::listClusters));
    operations.put(
        "UpdateCluster", EcsOperation.typed(UpdateClusterRequest.class, this::updateCluster));
    operations.put(
        "UpdateClusterSettings",
        EcsOperation.typed(UpdateClusterSettingsRequest.class, this::updateClusterSettings));
    operations.put(
        "PutClusterCapacityProviders",
        EcsOperation.typed(
            PutClusterCapacityProvidersRequest.class, this::putClusterCapacityProviders));
    operations.put(
        "DeleteCluster", EcsOperation.typed(DeleteClusterRequest.class, this::deleteCluster));
  }

  /**
   * Creates a cluster, or returns the ACTIVE cluster of that name unchanged (ECS is idempotent
   * here).
   */
  CompletableFuture<JsonNode> createCluster(CreateClusterRequest input, RequestContext context) {
    String name = input.clusterName();
    if (name == null) {
      name = "default";
    }
    if (!EcsResources.NAME.matcher(name).matches()) {
      throw EcsErrors.invalidParameter(
          "Invalid cluster name. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.");
    }
    List<Tag> tags =
        TagRules.checkTotal(TagRules.checkNew(input.tags() == null ? List.of() : input.tags()));
    // A new cluster's containerInsights is the caller's containerInsights account setting.
    String insights =
        AccountSettingOperations.effective(
                context,
                resources.region(context).accountSettings(),
                AccountSettingRules.root(context),
                CONTAINER_INSIGHTS)
            .value();
    JsonNode settings =
        ClusterRules.mergeSettings(ClusterRules.defaultSettings(insights), json(input.settings()));
    List<String> providers = ClusterRules.providers(json(input.capacityProviders()));
    JsonNode strategy =
        ClusterRules.strategy(providers, json(input.defaultCapacityProviderStrategy()));
    String arn = EcsResources.clusterArn(context, name);
    String clusterName = name;
    ClusterState holder = resources.region(context).cluster(name);
    return holder.submit(
        current -> {
          if (current != null && current.isActive()) {
            return CommandResult.of(clusterResponse(holder, current));
          }
          Cluster created =
              new Cluster(
                  arn,
                  clusterName,
                  Cluster.ACTIVE,
                  clock.millis(),
                  json(input.configuration()),
                  settings,
                  json(input.serviceConnectDefaults()),
                  providers,
                  strategy,
                  tags);
          return CommandResult.of(EcsRecords.of(created), clusterResponse(holder, created));
        });
  }

  /** Describes clusters by name or ARN; unknown ones come back as failures with reason MISSING. */
  CompletableFuture<JsonNode> describeClusters(
      DescribeClustersRequest input, RequestContext context) {
    List<String> identifiers = new ArrayList<>();
    if (input.clusters() != null) {
      identifiers.addAll(input.clusters());
    } else {
      identifiers.add("default");
    }
    if (identifiers.size() > MAX_DESCRIBE) {
      throw EcsErrors.invalidParameter(
          "At most " + MAX_DESCRIBE + " clusters can be described at once.");
    }
    Set<String> include = new HashSet<>();
    if (input.include() != null) {
      include.addAll(input.include());
    }
    ObjectNode response = Json.object();
    ArrayNode clusters = response.putArray("clusters");
    ArrayNode failures = response.putArray("failures");
    for (String identifier : identifiers) {
      ClusterState holder = resources.existingCluster(context, identifier);
      if (holder == null) {
        // ECS names a missing cluster by its full ARN, whether it was asked for by name or ARN.
        ObjectNode failure = failures.addObject();
        failure.put(
            "arn",
            Arn.looksLikeArn(identifier)
                ? identifier
                : EcsResources.clusterArn(context, identifier));
        failure.put("reason", "MISSING");
      } else {
        clusters.add(toJson(holder, holder.cluster(), include));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Lists the ARNs of the region's ACTIVE clusters in name order, paged. */
  CompletableFuture<JsonNode> listClusters(ListClustersRequest input, RequestContext context) {
    List<Cluster> active = new ArrayList<>();
    for (ClusterState holder : resources.region(context).clusters()) {
      Cluster cluster = holder.cluster();
      if (cluster != null && cluster.isActive()) {
        active.add(cluster);
      }
    }
    TokenPaging.Page<Cluster> page =
        Paging.page(
            "ListClusters",
            active,
            Cluster::name,
            false,
            input.maxResults(),
            input.nextToken(),
            100);
    ObjectNode response = Json.object();
    ArrayNode arns = response.putArray("clusterArns");
    page.items().forEach(cluster -> arns.add(cluster.arn()));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Changes a cluster's settings, configuration or service connect defaults. */
  CompletableFuture<JsonNode> updateCluster(UpdateClusterRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    JsonNode settings = json(input.settings());
    JsonNode configuration = json(input.configuration());
    JsonNode serviceConnectDefaults = json(input.serviceConnectDefaults());
    if (settings != null) {
      ClusterRules.mergeSettings(ClusterRules.defaultSettings(), settings);
    }
    return holder.submit(
        current -> {
          Cluster cluster = EcsResources.requireActive(current);
          Cluster updated =
              cluster.withConfiguration(
                  configuration != null ? configuration : cluster.configuration(),
                  serviceConnectDefaults != null
                      ? serviceConnectDefaults
                      : cluster.serviceConnectDefaults());
          if (settings != null) {
            updated =
                updated.withSettings(ClusterRules.mergeSettings(cluster.settings(), settings));
          }
          return CommandResult.of(EcsRecords.of(updated), clusterResponse(holder, updated));
        });
  }

  /** Changes a cluster's settings (containerInsights). */
  CompletableFuture<JsonNode> updateClusterSettings(
      UpdateClusterSettingsRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    JsonNode settings = json(input.settings());
    ClusterRules.mergeSettings(ClusterRules.defaultSettings(), settings);
    return holder.submit(
        current -> {
          Cluster cluster = EcsResources.requireActive(current);
          Cluster updated =
              cluster.withSettings(ClusterRules.mergeSettings(cluster.settings(), settings));
          return CommandResult.of(EcsRecords.of(updated), clusterResponse(holder, updated));
        });
  }

  /** Replaces a cluster's capacity providers and default capacity provider strategy. */
  CompletableFuture<JsonNode> putClusterCapacityProviders(
      PutClusterCapacityProvidersRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    List<String> providers = ClusterRules.providers(json(input.capacityProviders()));
    JsonNode strategy =
        ClusterRules.strategy(providers, json(input.defaultCapacityProviderStrategy()));
    return holder.submit(
        current -> {
          Cluster cluster = EcsResources.requireActive(current);
          Cluster updated = cluster.withCapacityProviders(providers, strategy);
          return CommandResult.of(EcsRecords.of(updated), clusterResponse(holder, updated));
        });
  }

  /**
   * Deletes a cluster: it turns INACTIVE and stays describable. Berth refuses, as ECS does, while
   * container instances are registered to it (ACTIVE or DRAINING), services in it are ACTIVE or
   * DRAINING, or tasks in it have not STOPPED.
   */
  CompletableFuture<JsonNode> deleteCluster(DeleteClusterRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    return holder.submit(
        current -> {
          Cluster cluster = EcsResources.requireActive(current);
          if (holder.instances().registeredCount() > 0) {
            throw EcsErrors.clusterContainsContainerInstances();
          }
          if (holder.services().anyScheduled()) {
            throw EcsErrors.clusterContainsServices();
          }
          if (holder.tasks().anyActive()) {
            throw EcsErrors.clusterContainsTasks();
          }
          Cluster deleted = cluster.withStatus(Cluster.INACTIVE);
          return CommandResult.of(EcsRecords.of(deleted), clusterResponse(holder, deleted));
        });
  }

  /**
   * Returns a request member as the JSON the stored cluster keeps (null when absent): the records
   * leave out absent members, so the JSON is the one the caller sent.
   */
  private static JsonNode json(Object member) {
    return member == null ? null : Json.MAPPER.valueToTree(member);
  }

  private static ObjectNode clusterResponse(ClusterState holder, Cluster cluster) {
    ObjectNode response = Json.object();
    response.set(
        "cluster",
        toJson(
            holder,
            cluster,
            Set.of("ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS")));
    return response;
  }

  /**
   * Returns ECS's Cluster shape with the optional parts the include list asks for, counting the
   * holder's instances and tasks.
   */
  static ObjectNode toJson(ClusterState holder, Cluster cluster, Set<String> include) {
    ObjectNode node = Json.object();
    node.put("clusterArn", cluster.arn());
    node.put("clusterName", cluster.name());
    if (include.contains("CONFIGURATIONS") && cluster.configuration() != null) {
      node.set("configuration", cluster.configuration());
    }
    node.put("status", cluster.status());
    // Pending counts PROVISIONING, PENDING and ACTIVATING tasks.
    Tasks.Counts counts = holder.tasks().counts();
    node.put("registeredContainerInstancesCount", holder.instances().registeredCount());
    node.put("runningTasksCount", counts.running());
    node.put("pendingTasksCount", counts.pending());
    node.put("activeServicesCount", holder.services().activeCount());
    ArrayNode statistics = node.putArray("statistics");
    if (include.contains("STATISTICS")) {
      Map<String, Integer> values = new LinkedHashMap<>();
      values.put("runningEC2TasksCount", counts.runningEc2());
      values.put("runningExternalTasksCount", counts.runningExternal());
      values.put("pendingEC2TasksCount", counts.pendingEc2());
      values.put("pendingExternalTasksCount", counts.pendingExternal());
      values.put("activeEC2ServiceCount", serviceCount(holder, Service.ACTIVE, "EC2"));
      values.put("activeExternalServiceCount", serviceCount(holder, Service.ACTIVE, "EXTERNAL"));
      values.put("drainingEC2ServiceCount", serviceCount(holder, Service.DRAINING, "EC2"));
      values.put(
          "drainingExternalServiceCount", serviceCount(holder, Service.DRAINING, "EXTERNAL"));
      values.forEach(
          (name, value) -> {
            ObjectNode pair = statistics.addObject();
            pair.put("name", name);
            pair.put("value", value.toString());
          });
    }
    if (include.contains("TAGS")) {
      node.set("tags", Tag.toJson(cluster.tags()));
    }
    if (include.contains("SETTINGS")) {
      node.set("settings", cluster.settings());
    }
    ArrayNode providers = node.putArray("capacityProviders");
    cluster.capacityProviders().forEach(providers::add);
    node.set(
        "defaultCapacityProviderStrategy",
        cluster.defaultCapacityProviderStrategy() == null
            ? Json.array()
            : cluster.defaultCapacityProviderStrategy());
    if (include.contains("ATTACHMENTS")) {
      node.putArray("attachments");
    }
    if (cluster.serviceConnectDefaults() != null) {
      node.set("serviceConnectDefaults", cluster.serviceConnectDefaults());
    }
    return node;
  }

  private static int serviceCount(ClusterState holder, String status, String launchType) {
    int count = 0;
    for (Service service : holder.services().all()) {
      if (service.status().equals(status) && service.settings().launchType().equals(launchType)) {
        count++;
      }
    }
    return count;
  }
}
