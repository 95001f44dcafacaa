package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import dev.berth.server.controller.DeploymentLimits;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceEvent;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ECS's shapes of a service: {@code Service} with its deployments and events, and {@code
 * ServiceDeployment} / {@code ServiceDeploymentBrief}. Running and pending counts are read from the
 * service's tasks: a task counts for the deployment whose id started it.
 */
final class ServiceJson {
  private ServiceJson() {}

  /** Running and pending tasks, in total and by deployment id. */
  record Counts(int running, int pending, Map<String, int[]> byDeployment) {
    /** Returns {running, pending} of a deployment. */
    int[] of(String deploymentId) {
      return byDeployment.getOrDefault(deploymentId, new int[2]);
    }

    /** Counts the tasks of a service. */
    static Counts of(List<Task> tasks) {
      int running = 0;
      int pending = 0;
      Map<String, int[]> byDeployment = new HashMap<>();
      for (Task task : tasks) {
        boolean isRunning = TaskLifecycle.RUNNING.equals(task.lastStatus());
        boolean isPending =
            TaskLifecycle.pending(task.lastStatus())
                && TaskLifecycle.RUNNING.equals(task.desiredStatus());
        if (!isRunning && !isPending) {
          continue;
        }
        int[] counts =
            byDeployment.computeIfAbsent(
                String.valueOf(task.spec().startedBy()), key -> new int[2]);
        if (isRunning) {
          running++;
          counts[0]++;
        } else {
          pending++;
          counts[1]++;
        }
      }
      return new Counts(running, pending, byDeployment);
    }
  }

  /** Returns ECS's Service shape; tags only if asked. */
  static ObjectNode toJson(Service service, List<Task> tasks, boolean includeTags) {
    ServiceSettings settings = service.settings();
    Counts counts = Counts.of(tasks);
    ObjectNode node = Json.object();
    node.put("serviceArn", service.arn());
    node.put("serviceName", service.name());
    node.put("clusterArn", service.clusterArn());
    node.set("loadBalancers", shape(settings.loadBalancers()));
    node.set("serviceRegistries", shape(settings.serviceRegistries()));
    node.put("status", service.status());
    node.put("desiredCount", settings.desiredCount());
    node.put("runningCount", counts.running());
    node.put("pendingCount", counts.pending());
    node.put("launchType", settings.launchType());
    if (settings.capacityProviderStrategy() != null) {
      node.set("capacityProviderStrategy", shape(settings.capacityProviderStrategy()));
    }
    node.put("taskDefinition", settings.taskDefinition());
    node.set("deploymentConfiguration", shape(settings.deploymentConfiguration()));
    ArrayNode deployments = node.putArray("deployments");
    for (ServiceDeployment deployment : service.current()) {
      deployments.add(deployment(service, deployment, counts));
    }
    ArrayNode events = node.putArray("events");
    for (ServiceEvent event : service.events()) {
      ObjectNode item = events.addObject();
      item.put("id", event.id());
      item.set("createdAt", Json.timestamp(event.createdAt()));
      item.put("message", event.message());
    }
    node.set("createdAt", Json.timestamp(service.createdAt()));
    ServiceDeployment primary = service.primary();
    if (primary != null) {
      node.put("currentServiceDeployment", primary.arn());
      ArrayNode revisions = node.putArray("currentServiceRevisions");
      for (ServiceDeployment deployment : service.current()) {
        int[] of = counts.of(deployment.id());
        ObjectNode revision = revisions.addObject();
        revision.put("arn", deployment.revisionArn());
        revision.put("requestedTaskCount", requested(service, deployment, of));
        revision.put("runningTaskCount", of[0]);
        revision.put("pendingTaskCount", of[1]);
      }
    }
    node.set("placementConstraints", shape(settings.placementConstraints()));
    node.set("placementStrategy", shape(settings.placementStrategy()));
    if (settings.networkConfiguration() != null) {
      node.set("networkConfiguration", shape(settings.networkConfiguration()));
    }
    if (settings.healthCheckGracePeriodSeconds() != null) {
      node.put("healthCheckGracePeriodSeconds", settings.healthCheckGracePeriodSeconds());
    }
    node.put("schedulingStrategy", settings.schedulingStrategy());
    node.set("deploymentController", shape(settings.deploymentController()));
    if (includeTags) {
      node.set("tags", Tag.toJson(service.tags()));
    }
    node.put("createdBy", service.createdBy());
    if (settings.roleArn() != null) {
      node.put("roleArn", settings.roleArn());
    }
    node.put("enableECSManagedTags", settings.enableECSManagedTags());
    node.put("propagateTags", settings.propagateTags());
    node.put("enableExecuteCommand", settings.enableExecuteCommand());
    return node;
  }

  private static ObjectNode deployment(
      Service service, ServiceDeployment deployment, Counts counts) {
    int[] of = counts.of(deployment.id());
    ObjectNode node = Json.object();
    node.put("id", deployment.id());
    node.put("status", deployment.status());
    node.put("taskDefinition", deployment.taskDefinition());
    node.put("desiredCount", requested(service, deployment, of));
    node.put("pendingCount", of[1]);
    node.put("runningCount", of[0]);
    node.put("failedTasks", deployment.failedTasks());
    node.set("createdAt", Json.timestamp(deployment.createdAt()));
    node.set("updatedAt", Json.timestamp(deployment.updatedAt()));
    node.put("launchType", service.settings().launchType());
    if (service.settings().networkConfiguration() != null) {
      node.set("networkConfiguration", shape(service.settings().networkConfiguration()));
    }
    node.put("rolloutState", deployment.rolloutState());
    if (deployment.rolloutStateReason() != null) {
      node.put("rolloutStateReason", deployment.rolloutStateReason());
    }
    return node;
  }

  /** Returns the tasks a deployment wants: the desired count for the primary, else what it runs. */
  private static int requested(Service service, ServiceDeployment deployment, int[] counts) {
    return ServiceDeployment.PRIMARY.equals(deployment.status())
        ? service.settings().desiredCount()
        : counts[0] + counts[1];
  }

  /** Returns ECS's ServiceDeployment shape. */
  static ObjectNode serviceDeployment(
      Service service, ServiceDeployment deployment, List<Task> tasks) {
    Counts counts = Counts.of(tasks);
    ObjectNode node = Json.object();
    node.put("serviceDeploymentArn", deployment.arn());
    node.put("serviceArn", service.arn());
    node.put("clusterArn", service.clusterArn());
    node.set("createdAt", Json.timestamp(deployment.createdAt()));
    node.set("startedAt", Json.timestamp(deployment.createdAt()));
    if (deployment.finishedAt() != null) {
      node.set("finishedAt", Json.timestamp(deployment.finishedAt()));
    }
    if ("STOPPED".equals(deployment.deploymentStatus()) && deployment.finishedAt() != null) {
      node.set("stoppedAt", Json.timestamp(deployment.finishedAt()));
    }
    node.set("updatedAt", Json.timestamp(deployment.updatedAt()));
    ArrayNode sources = node.putArray("sourceServiceRevisions");
    for (String revisionArn : deployment.sourceRevisionArns()) {
      ServiceDeployment source = byRevision(service, revisionArn);
      sources.add(revision(service, revisionArn, source, counts));
    }
    node.set(
        "targetServiceRevision", revision(service, deployment.revisionArn(), deployment, counts));
    node.put("status", deployment.deploymentStatus());
    if (deployment.statusReason() != null) {
      node.put("statusReason", deployment.statusReason());
    }
    if (deployment.deploymentConfiguration() != null) {
      node.set("deploymentConfiguration", shape(deployment.deploymentConfiguration()));
    }
    if (deployment.rollback() != null) {
      node.set("rollback", deployment.rollback());
    }
    ObjectNode breaker = node.putObject("deploymentCircuitBreaker");
    boolean enabled =
        deployment.deploymentConfiguration() != null
            && deployment.deploymentConfiguration().circuitBreakerEnabled();
    breaker.put(
        "status",
        !enabled
            ? "DISABLED"
            : ServiceDeployment.FAILED.equals(deployment.rolloutState())
                ? "TRIGGERED"
                : deployment.inProgress() ? "MONITORING" : "MONITORING_COMPLETE");
    breaker.put("failureCount", deployment.failedTasks());
    breaker.put("threshold", DeploymentLimits.failureThreshold(service.settings().desiredCount()));
    node.putObject("alarms").put("status", "DISABLED");
    return node;
  }

  /** Returns ECS's ServiceDeploymentBrief shape. */
  static ObjectNode brief(Service service, ServiceDeployment deployment) {
    ObjectNode node = Json.object();
    node.put("serviceDeploymentArn", deployment.arn());
    node.put("serviceArn", service.arn());
    node.put("clusterArn", service.clusterArn());
    node.set("startedAt", Json.timestamp(deployment.createdAt()));
    node.set("createdAt", Json.timestamp(deployment.createdAt()));
    if (deployment.finishedAt() != null) {
      node.set("finishedAt", Json.timestamp(deployment.finishedAt()));
    }
    node.put("targetServiceRevisionArn", deployment.revisionArn());
    node.put("status", deployment.deploymentStatus());
    if (deployment.statusReason() != null) {
      node.put("statusReason", deployment.statusReason());
    }
    return node;
  }

  private static ObjectNode revision(
      Service service, String revisionArn, ServiceDeployment deployment, Counts counts) {
    ObjectNode node = Json.object();
    node.put("arn", revisionArn);
    int[] of = deployment == null ? new int[2] : counts.of(deployment.id());
    node.put(
        "requestedTaskCount",
        deployment == null || ServiceDeployment.INACTIVE.equals(deployment.status())
            ? 0
            : requested(service, deployment, of));
    node.put("runningTaskCount", of[0]);
    node.put("pendingTaskCount", of[1]);
    return node;
  }

  private static ServiceDeployment byRevision(Service service, String revisionArn) {
    for (ServiceDeployment deployment : service.deployments()) {
      if (deployment.revisionArn().equals(revisionArn)) {
        return deployment;
      }
    }
    return null;
  }

  /** Returns the cluster and service names a service deployment ARN names, or null. */
  static String[] clusterAndService(String serviceDeploymentArn) {
    Arn arn = Arn.parse(serviceDeploymentArn);
    if (arn == null || !"service-deployment".equals(arn.resourceType())) {
      return null;
    }
    String[] parts = arn.resourceId().split("/");
    return parts.length == 3 ? new String[] {parts[0], parts[1]} : null;
  }

  /** Returns ECS's JSON of one of the model's shapes a service keeps; absent members left out. */
  private static JsonNode shape(Object value) {
    return Json.MAPPER.valueToTree(value);
  }
}
