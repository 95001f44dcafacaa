package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ProtocolErrors;
import dev.berth.api.model.InputValidator;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.api.AwsJsonService;
import dev.berth.server.api.RequestContext;
import dev.berth.server.controller.Controller;
import dev.berth.server.controller.ServiceAnnouncer;
import dev.berth.server.controller.ServiceAttachments;
import dev.berth.server.controller.ServiceController;
import dev.berth.server.ecs.request.CreateClusterRequest;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.scheduler.ChainedPlacement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Amazon ECS (AmazonEC2ContainerServiceV20141113) on Berth: checks each request against the
 * published model, then hands it to the handler of its operation. Operations of the model that
 * Berth does not do yet answer UnsupportedFeatureException.
 */
public final class EcsService implements AwsJsonService {
  /** The ECS model this service answers to. */
  public static final ServiceModel MODEL = ServiceModel.load("ecs/2014-11-13");

  private final InputValidator validator =
      new InputValidator(MODEL, "InvalidParameterException", EcsLimits.LIMITS);
  private final Map<String, EcsOperation> operations = new TreeMap<>();
  private final ClusterOperations clusters;
  private final ContainerInstanceOperations instances;
  private final AgentFacing agentFacing;
  private final TaskRetention retention;
  private final ServiceReconciler services;

  /**
   * Creates the service over the state; time comes from the clock. DiscoverPollEndpoint names no
   * endpoint (the agent keeps the one it called), and stopped tasks are kept for an hour.
   */
  public EcsService(EcsState state, Clock clock) {
    this(state, clock, () -> null);
  }

  /**
   * Creates the service over the state; DiscoverPollEndpoint answers the endpoint the supplier
   * gives at the time (the URL agents reach this server at), and stopped tasks are kept for an
   * hour.
   */
  public EcsService(EcsState state, Clock clock, Supplier<String> endpoint) {
    this(state, clock, endpoint, TaskRetention.DEFAULT);
  }

  /**
   * Creates the service over the state, answering DiscoverPollEndpoint with the endpoint the
   * supplier gives and keeping stopped tasks describable for the retention given before {@link
   * #pruneStoppedTasks} forgets them.
   */
  public EcsService(
      EcsState state, Clock clock, Supplier<String> endpoint, Duration stoppedTaskRetention) {
    this(state, clock, endpoint, stoppedTaskRetention, ServiceAttachments.NONE);
  }

  /**
   * Creates the service over the state with the endpoint the supplier gives, stopped tasks kept for
   * an hour, and the service scheduler telling the attachments given (load balancers, service
   * discovery) of its tasks.
   */
  public EcsService(
      EcsState state, Clock clock, Supplier<String> endpoint, ServiceAttachments attachments) {
    this(state, clock, endpoint, TaskRetention.DEFAULT, attachments);
  }

  /**
   * Creates the service as above, with the service scheduler telling the attachments given (load
   * balancers, service discovery) of its tasks and asking them about their health.
   */
  public EcsService(
      EcsState state,
      Clock clock,
      Supplier<String> endpoint,
      Duration stoppedTaskRetention,
      ServiceAttachments attachments) {
    requireNonNull(state);
    requireNonNull(attachments);
    requireNonNull(clock);
    requireNonNull(endpoint);
    EcsResources resources = new EcsResources(state);
    clusters = new ClusterOperations(resources, clock);
    clusters.register(operations);
    new TaskDefinitionOperations(resources, clock).register(operations);
    new TagOperations(resources).register(operations);
    instances = new ContainerInstanceOperations(resources, clock, endpoint);
    instances.register(operations);
    new AttributeOperations(resources).register(operations);
    TaskRenderings rendered = new TaskRenderings();
    // RunTask and the service scheduler place through one index per cluster.
    ClusterPlacement clusterPlacement = new ClusterPlacement();
    new RunTaskOperations(
            resources,
            clock,
            new ChainedPlacement(new java.util.SplittableRandom()),
            clusterPlacement,
            rendered)
        .register(operations);
    new ServiceOperations(resources, clock, new java.util.SplittableRandom(), attachments)
        .register(operations);
    new ServiceDeploymentOperations(resources).register(operations);
    new TaskSetOperations(resources).register(operations);
    new AccountSettingOperations(resources).register(operations);
    new TaskOperations(resources, clock).register(operations);
    TaskStateChangeOperations reports = new TaskStateChangeOperations(resources, clock);
    reports.register(operations);
    String stateChangeShape = MODEL.operation("SubmitTaskStateChange").inputShape();
    agentFacing =
        new AgentFacing(
            state, reports, input -> validator.validate(stateChangeShape, input), rendered);
    retention = new TaskRetention(state, clock, stoppedTaskRetention);
    services =
        new ServiceReconciler(
            state,
            clock,
            new ChainedPlacement(new java.util.SplittableRandom()),
            clusterPlacement,
            new ServiceController(attachments, new java.util.SplittableRandom()),
            new ServiceAnnouncer(attachments),
            // Registrations wait on the ELB and Cloud Map writers: not on the scheduler's thread.
            command -> Thread.ofVirtual().name("berth-announcer").start(command));
    for (String name : operations.keySet()) {
      if (MODEL.operation(name) == null) {
        throw new IllegalStateException(name + " is not an ECS operation");
      }
    }
  }

  /**
   * Adds a listener told the ARN of every container instance deregistered, once that is durable and
   * before DeregisterContainerInstance answers: the instance's keys stop working with it.
   */
  public void onInstanceDeregistered(java.util.function.Consumer<String> listener) {
    instances.onDeregistered(listener);
  }

  /** Returns the names of the operations Berth implements, in name order. */
  public java.util.Set<String> implementedOperations() {
    return java.util.Collections.unmodifiableSet(operations.keySet());
  }

  /** Returns what the agent channel uses of the state: task sets, connections, health. */
  public AgentFacing agentFacing() {
    return agentFacing;
  }

  /**
   * Deletes the tasks that have been STOPPED for longer than the retention, and container instances
   * deregistered as long ago that hold no tasks, in every cluster; the future holds how many tasks
   * were deleted. Meant to be called periodically (every few minutes is plenty).
   */
  public CompletableFuture<Integer> pruneStoppedTasks() {
    return retention.prune();
  }

  /**
   * Runs one pass of the service scheduler over every cluster with services: replaces stopped and
   * unhealthy tasks, moves deployments on, follows instances for DAEMON services. A cluster whose
   * previous pass is still running is skipped. Meant to be called often (every second or so).
   */
  public CompletableFuture<Void> reconcileServices() {
    return services.reconcileAll();
  }

  /** Returns the service scheduler as a controller of the control loop (one pass per call). */
  public Controller serviceScheduler() {
    return services;
  }

  /**
   * Creates a cluster in a region and account unless an ACTIVE one of that name exists, as the
   * server does for local mode's {@code default} cluster.
   */
  public CompletableFuture<? extends JsonNode> ensureCluster(
      String region, String accountId, String name) {
    RequestContext context = new RequestContext("startup", region, accountId, "berth");
    return clusters.createCluster(
        new CreateClusterRequest(name, null, null, null, null, null, null), context);
  }

  @Override
  public String targetPrefix() {
    return MODEL.targetPrefix();
  }

  @Override
  public String signingName() {
    return MODEL.signingName();
  }

  @Override
  public CompletableFuture<? extends JsonNode> invoke(
      String operation, JsonNode input, RequestContext context) {
    ServiceModel.Operation modelled = MODEL.operation(operation);
    if (modelled == null) {
      throw ProtocolErrors.unknownOperation("Amazon ECS has no operation " + operation + ".");
    }
    EcsOperation handler = operations.get(operation);
    if (handler == null) {
      throw EcsErrors.unsupportedFeature(operation);
    }
    return handler.handle(validator.validate(modelled.inputShape(), input), context);
  }
}
