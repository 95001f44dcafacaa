package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.ClusterState;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ECS task set operations: CreateTaskSet, DescribeTaskSets, UpdateTaskSet, DeleteTaskSet and
 * UpdateServicePrimaryTaskSet. Task sets belong to services of the EXTERNAL deployment controller,
 * which Berth does not create (CreateService refuses it), so every service here uses the ECS
 * controller and each call gets the answer ECS gives for such a service once its cluster and
 * service are found.
 */
final class TaskSetOperations {
  /** ECS's message for a task set call on a service whose deployment controller is not EXTERNAL. */
  static final String NOT_EXTERNAL =
      "Amazon ECS only supports task set management on services configured to use external"
          + " deployment controllers.";

  private final EcsResources resources;

  TaskSetOperations(EcsResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    for (String operation :
        new String[] {
          "CreateTaskSet",
          "DescribeTaskSets",
          "UpdateTaskSet",
          "DeleteTaskSet",
          "UpdateServicePrimaryTaskSet"
        }) {
      operations.put(operation, this::refuse);
    }
  }

  /**
   * Finds the cluster (ClusterNotFoundException) and its ACTIVE service (ServiceNotFoundException,
   * ServiceNotActiveException), then refuses the call as ECS does for a service without the
   * EXTERNAL deployment controller.
   */
  CompletableFuture<JsonNode> refuse(ObjectNode input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, Json.text(input, "cluster"));
    String name =
        ServiceOperations.serviceName(context, holder.name(), Json.text(input, "service"));
    ServiceOperations.activeService(holder, name);
    throw EcsErrors.invalidParameter(NOT_EXTERNAL);
  }
}
