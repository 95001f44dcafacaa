package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.PortBinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * Turns what task runners see into the ECS agent's reports: task and container state changes
 * through the {@link StateReporter}, container health through the agent channel.
 */
final class TaskReports {
  private final String cluster;
  private final StateReporter reporter;
  private final BiConsumer<String, Map<String, String>> health;

  TaskReports(
      String cluster, StateReporter reporter, BiConsumer<String, Map<String, String>> health) {
    this.cluster = requireNonNull(cluster);
    this.reporter = requireNonNull(reporter);
    this.health = requireNonNull(health);
  }

  /** Reports that the task's images are being pulled. */
  void taskPending(String taskArn, Instant pullStartedAt, Collection<ContainerRun> containers) {
    reporter.report(
        task(taskArn, "PENDING", null, containers).pullStartedAt(pullStartedAt).build());
  }

  /** Reports that the task's containers exist and are being started. */
  void taskActivating(
      String taskArn,
      Instant pullStartedAt,
      Instant pullStoppedAt,
      Collection<ContainerRun> containers) {
    reporter.report(
        task(taskArn, "ACTIVATING", null, containers)
            .pullStartedAt(pullStartedAt)
            .pullStoppedAt(pullStoppedAt)
            .build());
  }

  /** Reports that every container of the task was started. */
  void taskRunning(String taskArn, Collection<ContainerRun> containers, Instant now) {
    reporter.report(task(taskArn, "RUNNING", null, containers).build());
  }

  /** Reports that the task's containers are being stopped. */
  void taskStopping(String taskArn, Collection<ContainerRun> containers) {
    reporter.report(task(taskArn, "STOPPING", null, containers).build());
  }

  /** Reports that the task stopped, with its containers' exit codes. */
  void taskStopped(
      String taskArn, String reason, Collection<ContainerRun> containers, Instant now) {
    reporter.report(task(taskArn, "STOPPED", reason, containers).executionStoppedAt(now).build());
  }

  /** Reports that a non-essential container exited while its task runs on. */
  void containerStopped(String taskArn, ContainerRun container) {
    reporter.report(
        SubmitContainerStateChangeRequest.builder()
            .cluster(cluster)
            .task(taskArn)
            .containerName(container.name)
            .runtimeId(container.dockerId)
            .status("STOPPED")
            .exitCode(container.exitCode)
            .reason(container.reason)
            .networkBindings(bindings(container))
            .build());
  }

  /** Sends the health of the task's containers that have health checks. */
  void health(String taskArn, Collection<ContainerRun> containers) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (ContainerRun container : containers) {
      if (container.hasHealthCheck()) {
        byName.put(
            container.name,
            (container.health == null ? HealthStatus.UNKNOWN : container.health).name());
      }
    }
    if (!byName.isEmpty()) {
      health.accept(taskArn, byName);
    }
  }

  private SubmitTaskStateChangeRequest.Builder task(
      String taskArn, String status, String reason, Collection<ContainerRun> containers) {
    List<ContainerStateChange> changes = new ArrayList<>();
    for (ContainerRun container : containers) {
      changes.add(
          ContainerStateChange.builder()
              .containerName(container.name)
              .runtimeId(container.dockerId)
              .status(container.status)
              .exitCode(container.exitCode)
              .reason(container.reason)
              .networkBindings(bindings(container))
              .build());
    }
    return SubmitTaskStateChangeRequest.builder()
        .cluster(cluster)
        .task(taskArn)
        .status(status)
        .reason(reason)
        .containers(changes);
  }

  private static List<NetworkBinding> bindings(ContainerRun container) {
    List<NetworkBinding> bindings = new ArrayList<>();
    for (PortBinding binding : container.bindings) {
      bindings.add(
          NetworkBinding.builder()
              .bindIP(binding.hostIp())
              .containerPort(binding.containerPort())
              .hostPort(binding.hostPort())
              .protocol(
                  binding.protocol() == PortBinding.Protocol.UDP
                      ? TransportProtocol.UDP
                      : TransportProtocol.TCP)
              .build());
    }
    return bindings;
  }
}
