package dev.berth.server.controller;

import dev.berth.api.Json;
import dev.berth.server.ecs.MutableClock;
import dev.berth.server.ecs.shape.DeploymentCircuitBreaker;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.ecs.state.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A small world in which one service lives, for scenario tests of the {@link ServiceController}
 * without threads, sleeps or store: instances, the service's tasks, a clock the test moves. Each
 * {@link #pass()} asks the controller for a decision and applies it as the scheduler's command
 * would (stops asked, tasks placed on the instance with the fewest, drained tasks moved on); the
 * test plays the agent ({@link #agentStep()}) and the world's accidents (a task dies, an instance
 * drains, a target group calls a task unhealthy).
 */
final class ServiceScenario {
  static final String CLUSTER = "arn:aws:ecs:us-east-1:000000000000:cluster/c";
  static final String ARN = "arn:aws:ecs:us-east-1:000000000000:service/c/web";

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Set<String> active = new LinkedHashSet<>();
  private final Set<String> draining = new LinkedHashSet<>();
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, AttachmentHealth.Health> targetHealth = new HashMap<>();
  private final Set<String> crashing = new LinkedHashSet<>();
  private final SplittableRandom random = new SplittableRandom(42);
  private final ServiceController controller;
  private Service service;
  private int ids;

  private ServiceScenario(String strategy, int desired, boolean breaker, int graceSeconds) {
    AttachmentHealth health =
        new AttachmentHealth() {
          @Override
          public Health health(Service service, Task task) {
            return targetHealth.getOrDefault(task.arn(), Health.HEALTHY);
          }

          @Override
          public boolean drained(Service service, Task task) {
            return true;
          }
        };
    controller = new ServiceController(health, new SplittableRandom(1));
    DeploymentConfiguration configuration =
        DeploymentConfiguration.of(100, 200, new DeploymentCircuitBreaker(breaker, true));
    ServiceSettings settings =
        ServiceSettings.builder(definition(1))
            .schedulingStrategy(strategy)
            .desiredCount(desired)
            .deploymentConfiguration(configuration)
            .healthCheckGracePeriodSeconds(graceSeconds)
            .build();
    List<ServiceDeployment> deployments =
        Deployments.start(
            ARN, List.of(), definition(1), configuration, null, clock.millis(), random);
    service =
        new Service(
            ARN,
            "web",
            CLUSTER,
            Service.ACTIVE,
            settings,
            List.of(),
            deployments,
            List.of(),
            false,
            clock.millis(),
            "me",
            null,
            1);
  }

  /** A REPLICA service of the desired count, circuit breaker with rollback on. */
  static ServiceScenario replica(int desired) {
    return new ServiceScenario(ServiceSettings.REPLICA, desired, true, 0);
  }

  /** A REPLICA service whose tasks' health is not acted on for the grace period given. */
  static ServiceScenario replica(int desired, Duration grace) {
    return new ServiceScenario(ServiceSettings.REPLICA, desired, false, (int) grace.toSeconds());
  }

  /** A DAEMON service. */
  static ServiceScenario daemon() {
    return new ServiceScenario(ServiceSettings.DAEMON, 0, false, 0);
  }

  static String definition(int revision) {
    return "arn:aws:ecs:us-east-1:000000000000:task-definition/web:" + revision;
  }

  /** Adds ACTIVE instances of the names given. */
  ServiceScenario instances(String... names) {
    active.addAll(List.of(names));
    return this;
  }

  /** Drains an instance: its service tasks are to move elsewhere. */
  void drain(String instance) {
    draining.add(instance);
  }

  /** Makes every task of the task definition given crash as soon as it starts. */
  void crashing(String taskDefinition) {
    crashing.add(taskDefinition);
  }

  /** Starts a deployment of another task definition, as UpdateService does. */
  void deploy(String taskDefinition) {
    List<ServiceDeployment> deployments =
        Deployments.start(
            ARN,
            service.deployments(),
            taskDefinition,
            service.settings().deploymentConfiguration(),
            null,
            clock.millis(),
            random);
    service =
        service
            .withSettings(service.settings().withTaskDefinition(taskDefinition))
            .withProgress(deployments, service.events(), false);
  }

  /** Says what the target groups think of a task from now on. */
  void targetHealth(Task task, AttachmentHealth.Health health) {
    targetHealth.put(task.arn(), health);
  }

  /** Has the task's containers report UNHEALTHY from now on. */
  void containersUnhealthy(Task task) {
    Task current = tasks.get(task.arn());
    put(current.changed(current.lifecycle().withHealth("UNHEALTHY"), current.containers()));
  }

  /** Kills a task from outside: its essential container exits. */
  void kill(Task task) {
    report(task, TaskLifecycle.STOPPED);
  }

  /** Runs one pass of the controller and applies its decision; returns the decision. */
  ServiceController.Decision pass() {
    ServiceController.Fleet fleet =
        new ServiceController.Fleet() {
          @Override
          public boolean draining(String instanceArn) {
            return draining.contains(instanceArn);
          }

          @Override
          public List<String> daemonInstances(Service ignored) {
            return active.stream().filter(name -> !draining.contains(name)).toList();
          }

          @Override
          public boolean onlyDaemonTasksLeft(String instanceArn) {
            return true;
          }
        };
    ServiceController.Decision decision =
        controller.decide(service, List.copyOf(tasks.values()), fleet, clock.millis());
    service = decision.service();
    long now = clock.millis();
    for (ServiceController.Stop stop : decision.stops()) {
      Task task = tasks.get(stop.task().arn());
      put(
          task.changed(
              task.lifecycle().stopRequested(ServiceController.STOP_CODE, stop.reason(), now),
              task.containers()));
    }
    for (Task task : decision.drained()) {
      put(task.changed(task.lifecycle().deactivated(), task.containers()));
    }
    for (int i = 0; i < decision.starts(); i++) {
      String instance =
          active.stream()
              .filter(name -> !draining.contains(name))
              .min(Comparator.comparingLong(this::liveOn))
              .orElseThrow();
      start(instance);
    }
    decision.startOn().forEach(this::start);
    return decision;
  }

  /**
   * Plays the agent once: new tasks run (or crash), tasks asked to stop stop; returns true if a
   * task changed.
   */
  boolean agentStep() {
    boolean moved = false;
    for (Task task : List.copyOf(tasks.values())) {
      if (task.lifecycle().hasStopped()) {
        continue;
      }
      if (TaskLifecycle.STOPPED.equals(task.desiredStatus())) {
        report(task, TaskLifecycle.STOPPED);
        moved = true;
      } else if (TaskLifecycle.PROVISIONING.equals(task.lastStatus())) {
        boolean crashes = crashing.contains(task.spec().taskDefinitionArn());
        report(task, crashes ? TaskLifecycle.STOPPED : TaskLifecycle.RUNNING);
        moved = true;
      }
    }
    return moved;
  }

  /**
   * Runs passes and agent steps until a pass decides nothing and the agent has nothing to do, at
   * most the rounds given.
   */
  void settle(int rounds) {
    for (int i = 0; i < rounds; i++) {
      Service before = service;
      ServiceController.Decision decision = pass();
      boolean moved = agentStep();
      if (decision.idle(before) && !moved) {
        return;
      }
    }
  }

  Service service() {
    return service;
  }

  /** Returns every task of the service, stopped ones included, oldest first. */
  List<Task> tasks() {
    return List.copyOf(tasks.values());
  }

  /** Returns the tasks not stopped, oldest first. */
  List<Task> live() {
    return tasks.values().stream().filter(task -> !task.lifecycle().hasStopped()).toList();
  }

  /** Returns the task's latest version. */
  Task task(Task task) {
    return tasks.get(task.arn());
  }

  /** Returns the service's event messages, newest first. */
  List<String> messages() {
    return service.events().stream().map(event -> event.message()).toList();
  }

  private long liveOn(String instance) {
    return live().stream().filter(task -> task.containerInstanceArn().equals(instance)).count();
  }

  private void start(String instance) {
    ServiceDeployment primary = service.primary();
    String id = "t" + ids++;
    TaskSpec spec =
        new TaskSpec(
            "arn:aws:ecs:us-east-1:000000000000:task/c/" + id,
            CLUSTER,
            primary.taskDefinition(),
            instance,
            "EC2",
            null,
            null,
            Json.object(),
            primary.id(),
            service.group(),
            null,
            List.of(),
            false,
            Resources.NONE,
            clock.millis() * 1000 + ids);
    put(new Task(spec, TaskLifecycle.provisioning(clock.millis()), List.of(), List.of(), 1));
  }

  private void report(Task task, String status) {
    Task current = tasks.get(task.arn());
    put(
        current.changed(
            current.lifecycle().reported(status, null, null, null, null, clock.millis()),
            current.containers()));
  }

  private void put(Task task) {
    tasks.put(task.arn(), task);
  }

  /** Returns the instance names of the live tasks, one per task. */
  List<String> placements() {
    List<String> placed = new ArrayList<>();
    live().forEach(task -> placed.add(task.containerInstanceArn()));
    return placed;
  }
}
