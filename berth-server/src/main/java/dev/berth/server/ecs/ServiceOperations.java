package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.controller.Deployments;
import dev.berth.server.controller.ServiceAttachments;
import dev.berth.server.ecs.request.CreateServiceRequest;
import dev.berth.server.ecs.request.DeleteServiceRequest;
import dev.berth.server.ecs.request.DescribeServicesRequest;
import dev.berth.server.ecs.request.ListServicesRequest;
import dev.berth.server.ecs.request.UpdateServiceRequest;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.statemachine.CommandResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The ECS service operations: CreateService, UpdateService, DeleteService, DescribeServices and
 * ListServices. They change what a service wants; the service scheduler ({@link ServiceReconciler})
 * does the rest.
 */
final class ServiceOperations {
  private static final int MAX_DESCRIBE = 10;

  private final EcsResources resources;
  private final Clock clock;
  private final RandomGenerator random;
  private final ServiceAttachments attachments;

  ServiceOperations(
      EcsResources resources, Clock clock, RandomGenerator random, ServiceAttachments attachments) {
    this.resources = requireNonNull(resources);
    this.attachments = requireNonNull(attachments);
    this.clock = requireNonNull(clock);
    this.random = requireNonNull(random);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put(
        "CreateService", EcsOperation.typed(CreateServiceRequest.class, this::createService));
    operations.put(
        "UpdateService", EcsOperation.typed(UpdateServiceRequest.class, this::updateService));
    operations.put(
        "DeleteService", EcsOperation.typed(DeleteServiceRequest.class, this::deleteService));
    operations.put(
        "DescribeServices",
        EcsOperation.typed(DescribeServicesRequest.class, this::describeServices));
    operations.put(
        "ListServices", EcsOperation.typed(ListServicesRequest.class, this::listServices));
  }

  /**
   * Creates a service with its first deployment. A service of that name that is ACTIVE or DRAINING
   * is answered unchanged for the same clientToken, else refused; an INACTIVE one is replaced.
   */
  CompletableFuture<JsonNode> createService(CreateServiceRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String name = ServiceRules.name(input.serviceName());
    String strategy = ServiceRules.schedulingStrategy(input.schedulingStrategy());
    ServiceRules.deploymentController(input.deploymentController());
    String reference = input.taskDefinition();
    if (reference == null) {
      throw EcsErrors.invalidParameter("A task definition must be specified.");
    }
    TaskDefinition definition = activeTaskDefinition(context, reference);
    ServiceSettings settings = ServiceRules.settings(input, strategy, definition, context);
    attachments.validate(context.region(), settings.loadBalancers(), settings.serviceRegistries());
    List<Tag> tags =
        TagRules.checkTotal(TagRules.checkNew(input.tags() == null ? List.of() : input.tags()));
    String clientToken =
        ClientTokenRules.check(input.clientToken(), ClientTokenRules.MAX_CREATE_SERVICE_TOKEN);
    String arn = serviceArn(context, holder.name(), name);
    String createdBy = "arn:aws:iam::" + context.accountId() + ":root";
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          Service existing = holder.services().get(name);
          if (existing != null && !Service.INACTIVE.equals(existing.status())) {
            if (clientToken != null && clientToken.equals(existing.clientToken())) {
              return CommandResult.of(response(holder, existing));
            }
            throw EcsErrors.invalidParameter("Creation of service was not idempotent.");
          }
          long now = clock.millis();
          List<ServiceDeployment> deployments =
              Deployments.start(
                  arn,
                  List.of(),
                  definition.arn(),
                  settings.deploymentConfiguration(),
                  null,
                  now,
                  random);
          Service fresh =
              new Service(
                  arn,
                  name,
                  holder.cluster().arn(),
                  Service.ACTIVE,
                  settings,
                  tags,
                  deployments,
                  List.of(),
                  false,
                  now,
                  createdBy,
                  clientToken,
                  1);
          // A daemon wants a task on each instance it belongs on from the start, as in ECS.
          Service created =
              settings.daemon()
                  ? fresh.withSettings(
                      settings.withDesiredCount(
                          ServiceReconciler.daemonInstances(
                                  holder, resources.region(context), fresh)
                              .size()))
                  : fresh;
          return CommandResult.of(EcsRecords.of(created), response(holder, created));
        });
  }

  /**
   * Changes a service. A new task definition, forceNewDeployment, or other placement, load
   * balancers or service registries start a new deployment that supersedes the one in flight; a new
   * desired count or deployment configuration applies to the current one.
   */
  CompletableFuture<JsonNode> updateService(UpdateServiceRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String name = serviceName(context, holder.name(), input.service());
    String reference = input.taskDefinition();
    TaskDefinition newDefinition =
        reference == null ? null : activeTaskDefinition(context, reference);
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          Service service = activeService(holder, name);
          ServiceSettings settings = service.settings();
          TaskDefinition definition =
              newDefinition != null
                  ? newDefinition
                  : resources.taskDefinition(context, settings.taskDefinition());
          int desired = settings.desiredCount();
          if (input.desiredCount() != null) {
            if (settings.daemon()) {
              throw EcsErrors.invalidParameter(
                  "The daemon scheduling strategy does not support a desired count for services.");
            }
            desired = ServiceRules.checkDesiredCount(input.desiredCount());
          }
          ServiceRules.deploymentController(input.deploymentController());
          ServiceSettings updated = ServiceRules.updated(settings, input, desired, definition);
          boolean redeploy =
              orElse(input.forceNewDeployment(), false)
                  || !updated.taskDefinition().equals(settings.taskDefinition())
                  || !Objects.equals(
                      updated.placementConstraints(), settings.placementConstraints())
                  || !Objects.equals(updated.placementStrategy(), settings.placementStrategy())
                  || !Objects.equals(updated.loadBalancers(), settings.loadBalancers())
                  || !Objects.equals(updated.serviceRegistries(), settings.serviceRegistries())
                  || !Objects.equals(
                      updated.networkConfiguration(), settings.networkConfiguration());
          if (input.loadBalancers() != null || input.serviceRegistries() != null) {
            attachments.validate(
                context.region(), updated.loadBalancers(), updated.serviceRegistries());
          }
          long now = clock.millis();
          List<ServiceDeployment> deployments = service.deployments();
          if (redeploy) {
            deployments =
                Deployments.start(
                    service.arn(),
                    deployments,
                    updated.taskDefinition(),
                    updated.deploymentConfiguration(),
                    null,
                    now,
                    random);
          }
          boolean steady = service.steady() && !redeploy && desired == settings.desiredCount();
          Service changed =
              service.withSettings(updated).withProgress(deployments, service.events(), steady);
          return CommandResult.of(EcsRecords.of(changed), response(holder, changed));
        });
  }

  /**
   * Deletes a service: it turns DRAINING with no task wanted, and INACTIVE once its tasks have
   * stopped. A REPLICA service still scaled above zero is refused unless forced.
   */
  CompletableFuture<JsonNode> deleteService(DeleteServiceRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String name = serviceName(context, holder.name(), input.service());
    boolean force = orElse(input.force(), false);
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          Service service = holder.services().get(name);
          if (service == null) {
            throw serviceNotFound();
          }
          if (!service.isActive()) {
            throw serviceNotActive();
          }
          if (!force && !service.settings().daemon() && service.settings().desiredCount() > 0) {
            throw EcsErrors.invalidParameter(
                "The service cannot be stopped while it is scaled above 0.");
          }
          Service deleted =
              service
                  .withSettings(service.settings().withDesiredCount(0))
                  .withStatus(Service.DRAINING)
                  .withProgress(service.deployments(), service.events(), false);
          return CommandResult.of(EcsRecords.of(deleted), response(holder, deleted));
        });
  }

  /** Describes services by name or ARN; unknown ones come back as failures with reason MISSING. */
  CompletableFuture<JsonNode> describeServices(
      DescribeServicesRequest input, RequestContext context) {
    ClusterState holder = resources.existingCluster(context, input.cluster());
    if (holder == null) {
      throw EcsErrors.clusterNotFound();
    }
    List<String> identifiers = input.services() == null ? List.of() : input.services();
    if (identifiers.isEmpty() || identifiers.size() > MAX_DESCRIBE) {
      throw EcsErrors.invalidParameter(
          "services must name between 1 and " + MAX_DESCRIBE + " services.");
    }
    boolean tags = input.includes("TAGS");
    ObjectNode response = Json.object();
    ArrayNode services = response.putArray("services");
    ArrayNode failures = response.putArray("failures");
    for (String identifier : identifiers) {
      String name = serviceNameOrNull(context, holder.name(), identifier);
      Service service = name == null ? null : holder.services().get(name);
      if (service == null) {
        failures
            .addObject()
            .put(
                "arn",
                Arn.looksLikeArn(identifier)
                    ? identifier
                    : serviceArn(context, holder.name(), identifier))
            .put("reason", "MISSING");
      } else {
        services.add(ServiceJson.toJson(service, holder.tasks().inGroup(service.group()), tags));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Lists the ARNs of the cluster's services that are not INACTIVE, in ARN order, paged. */
  CompletableFuture<JsonNode> listServices(ListServicesRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String launchType = input.launchType();
    String strategy = input.schedulingStrategy();
    List<Service> matching = new ArrayList<>();
    for (Service service : holder.services().all()) {
      if (Service.INACTIVE.equals(service.status())
          || (launchType != null && !launchType.equals(service.settings().launchType()))
          || (strategy != null && !strategy.equals(service.settings().schedulingStrategy()))) {
        continue;
      }
      matching.add(service);
    }
    matching.sort(java.util.Comparator.comparing(Service::arn));
    TokenPaging.Page<Service> page =
        Paging.page(
            "ListServices",
            matching,
            Service::arn,
            false,
            orElse(input.maxResults(), 10),
            input.nextToken(),
            100);
    ObjectNode response = Json.object();
    ArrayNode arns = response.putArray("serviceArns");
    page.items().forEach(service -> arns.add(service.arn()));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  private TaskDefinition activeTaskDefinition(RequestContext context, String reference) {
    TaskDefinition definition = resources.taskDefinition(context, reference);
    if (!TaskDefinition.ACTIVE.equals(definition.status())) {
      throw EcsErrors.client("TaskDefinition is inactive");
    }
    return definition;
  }

  private static ObjectNode response(ClusterState holder, Service service) {
    ObjectNode response = Json.object();
    response.set(
        "service", ServiceJson.toJson(service, holder.tasks().inGroup(service.group()), true));
    return response;
  }

  private static <T> T orElse(T member, T fallback) {
    return ServiceRules.orElse(member, fallback);
  }

  /** Returns an ACTIVE service of the cluster, or throws ECS's error. */
  static Service activeService(ClusterState holder, String name) {
    Service service = holder.services().get(name);
    if (service == null) {
      throw serviceNotFound();
    }
    if (!service.isActive()) {
      throw serviceNotActive();
    }
    return service;
  }

  /** Returns the ARN of a service of a cluster. */
  static String serviceArn(RequestContext context, String cluster, String name) {
    return Arn.ecs(context.region(), context.accountId(), "service/" + cluster + "/" + name)
        .toString();
  }

  /** Returns the service name an identifier (a name or an ARN) stands for, or throws. */
  static String serviceName(RequestContext context, String cluster, String identifier) {
    String name = serviceNameOrNull(context, cluster, identifier);
    if (name == null) {
      throw serviceNotFound();
    }
    return name;
  }

  /**
   * Returns the service name an identifier stands for in the cluster: a name, or a service ARN
   * (long format {@code service/CLUSTER/NAME} or short {@code service/NAME}) of this region and
   * account; null if it cannot name one there.
   */
  static String serviceNameOrNull(RequestContext context, String cluster, String identifier) {
    if (identifier == null) {
      return null;
    }
    if (!Arn.looksLikeArn(identifier)) {
      return ServiceRules.NAME.matcher(identifier).matches() ? identifier : null;
    }
    Arn arn = Arn.parse(identifier);
    if (arn == null
        || !"ecs".equals(arn.service())
        || !"service".equals(arn.resourceType())
        || !context.region().equals(arn.region())
        || !context.accountId().equals(arn.account())) {
      return null;
    }
    String[] parts = arn.resourceId().split("/");
    if (parts.length == 2 && parts[0].equals(cluster)) {
      return parts[1];
    }
    return parts.length == 1 ? parts[0] : null;
  }

  /** Returns ECS's ServiceNotFoundException. */
  static AwsException serviceNotFound() {
    return new AwsException("ServiceNotFoundException", 400, "Service not found.");
  }

  /** Returns ECS's ServiceNotActiveException. */
  static AwsException serviceNotActive() {
    return new AwsException("ServiceNotActiveException", 400, "Service was not ACTIVE.");
  }
}
