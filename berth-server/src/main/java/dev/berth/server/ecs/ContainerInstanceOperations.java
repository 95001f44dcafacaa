package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.auth.Authority;
import dev.berth.server.auth.Caller;
import dev.berth.server.ecs.request.DeregisterContainerInstanceRequest;
import dev.berth.server.ecs.request.DescribeContainerInstancesRequest;
import dev.berth.server.ecs.request.DiscoverPollEndpointRequest;
import dev.berth.server.ecs.request.ListContainerInstancesRequest;
import dev.berth.server.ecs.request.RegisterContainerInstanceRequest;
import dev.berth.server.ecs.request.UpdateContainerInstancesStateRequest;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.scheduler.query.ClusterQuery;
import dev.berth.server.scheduler.query.ContainerInstanceView;
import dev.berth.server.statemachine.CommandResult;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The ECS container instance operations: RegisterContainerInstance (the agent's call),
 * DeregisterContainerInstance, DescribeContainerInstances, ListContainerInstances,
 * UpdateContainerInstancesState and DiscoverPollEndpoint.
 */
final class ContainerInstanceOperations {
  private static final int MAX_DESCRIBE = 100;
  private static final int MAX_UPDATE = 10;
  private static final String DEREGISTERED_REASON = "Container instance deregistered";

  private final EcsResources resources;
  private final Clock clock;
  private final Supplier<String> endpoint;
  private final List<Consumer<String>> deregistrationListeners = new CopyOnWriteArrayList<>();

  ContainerInstanceOperations(EcsResources resources, Clock clock, Supplier<String> endpoint) {
    this.resources = requireNonNull(resources);
    this.clock = requireNonNull(clock);
    this.endpoint = requireNonNull(endpoint);
  }

  /**
   * Adds a listener told the ARN of every instance deregistered, once the deregistration is durable
   * and before it is answered; it may block (it runs on a thread of its own).
   */
  void onDeregistered(Consumer<String> listener) {
    deregistrationListeners.add(requireNonNull(listener));
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put(
        "RegisterContainerInstance",
        EcsOperation.typed(RegisterContainerInstanceRequest.class, this::register));
    operations.put(
        "DeregisterContainerInstance",
        EcsOperation.typed(DeregisterContainerInstanceRequest.class, this::deregister));
    operations.put(
        "DescribeContainerInstances",
        EcsOperation.typed(DescribeContainerInstancesRequest.class, this::describe));
    operations.put(
        "ListContainerInstances",
        EcsOperation.typed(ListContainerInstancesRequest.class, this::list));
    operations.put(
        "UpdateContainerInstancesState",
        EcsOperation.typed(UpdateContainerInstancesStateRequest.class, this::updateState));
    operations.put(
        "DiscoverPollEndpoint",
        EcsOperation.typed(DiscoverPollEndpointRequest.class, this::discoverPollEndpoint));
  }

  /**
   * Registers a host: a new ACTIVE instance, or, with {@code containerInstanceArn}, the same
   * instance again after its agent restarted, keeping its status, tags and tasks.
   */
  CompletableFuture<JsonNode> register(
      RegisterContainerInstanceRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    // ResourceList reads ECS's Resource list as JSON, as the stored instance keeps versionInfo.
    var total = ResourceList.parse(json(input.totalResources()));
    List<Attribute> attributes =
        AttributeRules.checkCustomLimit(
            AttributeRules.check(AttributeRules.given(input.attributes())));
    List<Tag> tags =
        TagRules.checkTotal(TagRules.checkNew(input.tags() == null ? List.of() : input.tags()));
    JsonNode versionInfo = json(input.versionInfo());
    String ec2InstanceId = ec2InstanceId(input.instanceIdentityDocument());
    String given = input.containerInstanceArn();
    String existingArn =
        given == null ? null : EcsResources.containerInstanceArn(context, holder.name(), given);
    if (given != null && existingArn == null) {
      throw EcsErrors.invalidParameter(
          "containerInstanceArn does not name a container instance of cluster "
              + holder.name()
              + ".");
    }
    String ownArn = ownInstance(context.caller(), holder.name(), existingArn);
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          ContainerInstance registered;
          // An instance's key registers its instance, under the ARN it was made for, first or
          // again.
          String again =
              existingArn != null
                  ? existingArn
                  : ownArn != null && holder.instances().get(ownArn) != null ? ownArn : null;
          if (again != null) {
            ContainerInstance known = holder.instances().get(again);
            if (known == null || !known.registered()) {
              throw EcsErrors.client(
                  "Container instance "
                      + again
                      + (known == null ? " is not registered." : " has been deregistered."));
            }
            registered =
                known.reregistered(
                    total,
                    attributes,
                    versionInfo,
                    TagRules.checkTotal(Tag.merge(known.tags(), tags)));
          } else {
            String arn =
                ownArn != null
                    ? ownArn
                    : EcsResources.containerInstanceArn(
                        context.region(), context.accountId(), holder.name(), EcsResources.newId());
            registered =
                new ContainerInstance(
                    arn,
                    ec2InstanceId,
                    ContainerInstance.ACTIVE,
                    total,
                    attributes,
                    versionInfo,
                    tags,
                    clock.millis(),
                    null,
                    1);
          }
          ObjectNode response = Json.object();
          response.set("containerInstance", ContainerInstanceJson.of(holder, registered, true));
          return CommandResult.of(EcsRecords.of(registered), (JsonNode) response);
        });
  }

  /**
   * Returns the instance an instance's key registers, or null for other keys; refuses with
   * AccessDeniedException another cluster or another instance than the key's own.
   */
  private static String ownInstance(Caller caller, String cluster, String givenArn) {
    if (!caller.isInstance()) {
      return null;
    }
    String own = caller.containerInstanceArn();
    if (!cluster.equals(caller.cluster()) || givenArn != null && !givenArn.equals(own)) {
      throw Authority.accessDenied(
          "The credentials of container instance "
              + own
              + " register that instance only, in cluster "
              + caller.cluster()
              + ".");
    }
    return own;
  }

  /**
   * Deregisters an instance: it turns INACTIVE. Refused while tasks that are not STOPPED hold
   * resources on it, unless forced: then its tasks are asked to stop, and those its agent never
   * picked up, or all of them if its agent is not connected, are STOPPED at once.
   */
  CompletableFuture<JsonNode> deregister(
      DeregisterContainerInstanceRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String arn =
        EcsResources.containerInstanceArn(context, holder.name(), input.containerInstance());
    boolean force = Boolean.TRUE.equals(input.force());
    return holder
        .submit(
            current -> {
              EcsResources.requireActive(current);
              ContainerInstance instance = arn == null ? null : holder.instances().get(arn);
              if (instance == null) {
                throw instanceNotFound();
              }
              ObjectNode response = Json.object();
              if (!instance.registered()) {
                response.set(
                    "containerInstance", ContainerInstanceJson.of(holder, instance, false));
                return CommandResult.of((JsonNode) response);
              }
              List<Task> active = holder.tasks().activeOn(arn);
              if (!active.isEmpty() && !force) {
                throw EcsErrors.invalidParameter("Found running tasks on the instance.");
              }
              long now = clock.millis();
              boolean connected = holder.instances().agentConnected(arn);
              ClusterChanges changes = new ClusterChanges(holder);
              ContainerInstance inactive = instance.withStatus(ContainerInstance.INACTIVE, now);
              changes.put(inactive);
              for (Task task : active) {
                boolean neverPickedUp = TaskLifecycle.PROVISIONING.equals(task.lastStatus());
                changes.put(
                    !connected || neverPickedUp
                        ? TaskTransitions.stoppedByServer(
                            task, "UserInitiated", DEREGISTERED_REASON, now)
                        : TaskTransitions.stopRequested(
                            task, "UserInitiated", DEREGISTERED_REASON, now));
              }
              response.set("containerInstance", ContainerInstanceJson.of(holder, inactive, false));
              return new CommandResult<>(changes.records(), (JsonNode) response);
            })
        .thenCompose(
            response ->
                deregistrationListeners.isEmpty()
                    ? CompletableFuture.completedFuture(response)
                    // The listeners write to the store: not on the cluster's writer thread.
                    : CompletableFuture.runAsync(
                            () -> deregistrationListeners.forEach(listener -> listener.accept(arn)),
                            command -> Thread.ofVirtual().name("berth-deregistered").start(command))
                        .thenApply(done -> response));
  }

  /** Describes instances by id or ARN; unknown ones come back as failures with reason MISSING. */
  CompletableFuture<JsonNode> describe(
      DescribeContainerInstancesRequest input, RequestContext context) {
    ClusterState holder = resources.existingCluster(context, input.cluster());
    if (holder == null) {
      throw EcsErrors.clusterNotFound();
    }
    List<String> identifiers =
        input.containerInstances() == null ? List.of() : input.containerInstances();
    if (identifiers.isEmpty()) {
      throw EcsErrors.client("Container Instances cannot be empty.");
    }
    if (identifiers.size() > MAX_DESCRIBE) {
      throw EcsErrors.invalidParameter(
          "containerInstances must name between 1 and " + MAX_DESCRIBE + " container instances.");
    }
    boolean tags = input.include() != null && input.include().contains("TAGS");
    ObjectNode response = Json.object();
    ArrayNode instances = response.putArray("containerInstances");
    ArrayNode failures = response.putArray("failures");
    for (String identifier : identifiers) {
      String arn = EcsResources.containerInstanceArn(context, holder.name(), identifier);
      ContainerInstance instance = arn == null ? null : holder.instances().get(arn);
      if (instance == null) {
        failures.addObject().put("arn", arn == null ? identifier : arn).put("reason", "MISSING");
      } else {
        instances.add(ContainerInstanceJson.of(holder, instance, tags));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  /**
   * Lists instance ARNs in ARN order: every registered instance, or those of one status, those
   * matching a cluster query language filter if one is given, paged.
   */
  CompletableFuture<JsonNode> list(ListContainerInstancesRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String filter = input.filter();
    ClusterQuery query = filter == null ? null : ClusterQuery.parse(filter);
    String status = input.status();
    TokenPaging.Page<ContainerInstance> page =
        Paging.page(
            "ListContainerInstances",
            holder.instances()::after,
            ContainerInstance::arn,
            instance ->
                (status == null ? instance.registered() : instance.status().equals(status))
                    && (query == null
                        || query.matches(new ContainerInstanceView(holder, instance))),
            input.maxResults(),
            input.nextToken(),
            100);
    ObjectNode response = Json.object();
    ArrayNode arns = response.putArray("containerInstanceArns");
    page.items().forEach(instance -> arns.add(instance.arn()));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /**
   * Sets instances ACTIVE or DRAINING (up to ten); a DRAINING instance keeps its tasks and takes no
   * new ones. Unknown instances fail as MISSING, deregistered ones as INACTIVE.
   */
  CompletableFuture<JsonNode> updateState(
      UpdateContainerInstancesStateRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String status = input.status();
    if (!Set.of(ContainerInstance.ACTIVE, ContainerInstance.DRAINING).contains(status)) {
      throw EcsErrors.invalidParameter(
          "Container instances can only be set to ACTIVE or DRAINING, not " + status + ".");
    }
    List<String> identifiers =
        input.containerInstances() == null ? List.of() : input.containerInstances();
    if (identifiers.isEmpty() || identifiers.size() > MAX_UPDATE) {
      throw EcsErrors.invalidParameter(
          "containerInstances must name between 1 and " + MAX_UPDATE + " container instances.");
    }
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          ClusterChanges changes = new ClusterChanges(holder);
          ObjectNode response = Json.object();
          ArrayNode instances = response.putArray("containerInstances");
          ArrayNode failures = response.putArray("failures");
          long now = clock.millis();
          for (String identifier : identifiers) {
            String arn = EcsResources.containerInstanceArn(context, holder.name(), identifier);
            ContainerInstance instance = arn == null ? null : changes.instance(arn);
            if (instance == null || !instance.registered()) {
              failures
                  .addObject()
                  .put("arn", arn == null ? identifier : arn)
                  .put("reason", instance == null ? "MISSING" : ContainerInstance.INACTIVE);
              continue;
            }
            if (!instance.status().equals(status)) {
              instance = instance.withStatus(status, now);
              changes.put(instance);
            }
            instances.add(ContainerInstanceJson.of(holder, instance, false));
          }
          return new CommandResult<>(changes.records(), (JsonNode) response);
        });
  }

  /**
   * Answers where the agent talks to the control plane: Berth's own endpoint, for both the agent
   * channel and telemetry. A server that was not told its endpoint leaves both out, and the agent
   * keeps using the endpoint it called.
   */
  CompletableFuture<JsonNode> discoverPollEndpoint(
      DiscoverPollEndpointRequest input, RequestContext context) {
    ObjectNode response = Json.object();
    String url = endpoint.get();
    if (url != null) {
      response.put("endpoint", url);
      response.put("telemetryEndpoint", url);
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Returns a request member as JSON, null when absent (absent members are left out). */
  private static JsonNode json(Object member) {
    return member == null ? null : Json.MAPPER.valueToTree(member);
  }

  /** Returns ECS's error for an instance that is not in the cluster. */
  static RuntimeException instanceNotFound() {
    return EcsErrors.invalidParameter("The referenced container instance was not found.");
  }

  /**
   * Returns the EC2 instance id of the instance identity document, or a generated {@code i-} id
   * when there is none: Berth's hosts need not be EC2 instances.
   */
  private static String ec2InstanceId(String identityDocument) {
    if (identityDocument != null) {
      try {
        String id = Json.text(Json.MAPPER.readTree(identityDocument), "instanceId");
        if (id != null && !id.isBlank()) {
          return id;
        }
      } catch (Exception e) {
        throw EcsErrors.invalidParameter("instanceIdentityDocument is not a JSON document.");
      }
    }
    byte[] random = new byte[9];
    ThreadLocalRandom.current().nextBytes(random);
    return "i-" + HexFormat.of().formatHex(random).substring(0, 17);
  }
}
