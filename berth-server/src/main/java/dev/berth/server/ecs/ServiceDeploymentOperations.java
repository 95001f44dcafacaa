package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.ecs.request.DescribeServiceDeploymentsRequest;
import dev.berth.server.ecs.request.ListServiceDeploymentsRequest;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The ECS operations on a service's deployments: ListServiceDeployments and Describe. */
final class ServiceDeploymentOperations {
  private static final int MAX_DESCRIBE = 20;

  private final EcsResources resources;

  ServiceDeploymentOperations(EcsResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put(
        "ListServiceDeployments",
        EcsOperation.typed(ListServiceDeploymentsRequest.class, this::list));
    operations.put(
        "DescribeServiceDeployments",
        EcsOperation.typed(DescribeServiceDeploymentsRequest.class, this::describe));
  }

  /**
   * Lists a service's deployments, newest first, filtered by status and creation time, paged
   * (default and most 20 per page).
   */
  CompletableFuture<JsonNode> list(ListServiceDeploymentsRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String name = ServiceOperations.serviceName(context, holder.name(), input.service());
    Service service = holder.services().get(name);
    if (service == null) {
      throw ServiceOperations.serviceNotFound();
    }
    Set<String> statuses = input.status() == null ? Set.of() : new HashSet<>(input.status());
    Long after = input.createdAt() == null ? null : input.createdAt().afterMillis();
    Long before = input.createdAt() == null ? null : input.createdAt().beforeMillis();
    List<ServiceDeployment> matching = new ArrayList<>();
    List<ServiceDeployment> all = service.deployments();
    for (ServiceDeployment deployment : all) {
      if ((statuses.isEmpty() || statuses.contains(deployment.deploymentStatus()))
          && (after == null || deployment.createdAt() >= after)
          && (before == null || deployment.createdAt() <= before)) {
        matching.add(deployment);
      }
    }
    // Newest first: by creation time, then by the service's own order (newest first).
    java.util.function.Function<ServiceDeployment, String> key =
        deployment ->
            String.format(
                "%015d|%06d", deployment.createdAt(), all.size() - all.indexOf(deployment));
    matching.sort(java.util.Comparator.comparing(key).reversed());
    TokenPaging.Page<ServiceDeployment> page =
        Paging.page(
            "ListServiceDeployments",
            matching,
            key,
            true,
            input.maxResults(),
            input.nextToken(),
            20);
    ObjectNode response = Json.object();
    ArrayNode briefs = response.putArray("serviceDeployments");
    page.items().forEach(deployment -> briefs.add(ServiceJson.brief(service, deployment)));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Describes service deployments by ARN; unknown ones come back as failures with MISSING. */
  CompletableFuture<JsonNode> describe(
      DescribeServiceDeploymentsRequest input, RequestContext context) {
    List<String> arns =
        input.serviceDeploymentArns() == null ? List.of() : input.serviceDeploymentArns();
    if (arns.isEmpty() || arns.size() > MAX_DESCRIBE) {
      throw EcsErrors.invalidParameter(
          "serviceDeploymentArns must name between 1 and " + MAX_DESCRIBE + " deployments.");
    }
    ObjectNode response = Json.object();
    ArrayNode deployments = response.putArray("serviceDeployments");
    ArrayNode failures = response.putArray("failures");
    for (String arn : arns) {
      ObjectNode found = find(context, arn);
      if (found == null) {
        failures.addObject().put("arn", arn).put("reason", "MISSING");
      } else {
        deployments.add(found);
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  private ObjectNode find(RequestContext context, String arn) {
    Arn parsed = Arn.parse(arn);
    String[] names = ServiceJson.clusterAndService(arn);
    if (names == null
        || !context.region().equals(parsed.region())
        || !context.accountId().equals(parsed.account())) {
      return null;
    }
    ClusterState holder = resources.existingCluster(context, names[0]);
    Service service = holder == null ? null : holder.services().get(names[1]);
    if (service == null) {
      return null;
    }
    for (ServiceDeployment deployment : service.deployments()) {
      if (deployment.arn().equals(arn)) {
        return ServiceJson.serviceDeployment(
            service, deployment, holder.tasks().inGroup(service.group()));
      }
    }
    return null;
  }
}
