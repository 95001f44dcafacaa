package dev.berth.server.controller;

import dev.berth.api.Arn;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Starts deployments as ECS does: a new PRIMARY deployment in progress, the deployments before it
 * ACTIVE until their tasks are gone, and an in-flight deployment superseded (its service deployment
 * STOPPED).
 */
public final class Deployments {
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Deployments() {}

  /**
   * Returns the deployments of a service after a new deployment of the task definition starts: the
   * new one first, the service's other PRIMARY or ACTIVE ones as ACTIVE, then the INACTIVE ones.
   */
  public static List<ServiceDeployment> start(
      String serviceArn,
      List<ServiceDeployment> existing,
      String taskDefinition,
      DeploymentConfiguration deploymentConfiguration,
      String reason,
      long now,
      RandomGenerator random) {
    List<String> sources = new ArrayList<>();
    for (ServiceDeployment deployment : existing) {
      if (!ServiceDeployment.INACTIVE.equals(deployment.status())) {
        sources.add(deployment.revisionArn());
      }
    }
    ServiceDeployment created =
        create(serviceArn, taskDefinition, deploymentConfiguration, sources, reason, now, random);
    List<ServiceDeployment> result = new ArrayList<>();
    result.add(created);
    List<ServiceDeployment> inactive = new ArrayList<>();
    for (ServiceDeployment deployment : existing) {
      if (ServiceDeployment.INACTIVE.equals(deployment.status())) {
        inactive.add(deployment);
        continue;
      }
      ServiceDeployment older = deployment.withStatus(ServiceDeployment.ACTIVE, now);
      if ("IN_PROGRESS".equals(older.deploymentStatus())) {
        older =
            older.withDeploymentStatus(
                "STOPPED", "Superseded by deployment " + created.id() + ".", now);
      }
      result.add(older);
    }
    result.addAll(inactive);
    return result;
  }

  private static ServiceDeployment create(
      String serviceArn,
      String taskDefinition,
      DeploymentConfiguration deploymentConfiguration,
      List<String> sources,
      String reason,
      long now,
      RandomGenerator random) {
    String id = "ecs-svc/" + (1 + random.nextInt(9)) + digits(18, random);
    Arn service = Arn.parse(serviceArn);
    String path = service.resourceId();
    String arn =
        Arn.ecs(
                service.region(),
                service.account(),
                "service-deployment/" + path + "/" + token(random))
            .toString();
    String revision =
        Arn.ecs(
                service.region(),
                service.account(),
                "service-revision/" + path + "/" + (1 + random.nextInt(9)) + digits(18, random))
            .toString();
    return new ServiceDeployment(
        id,
        arn,
        revision,
        ServiceDeployment.PRIMARY,
        taskDefinition,
        ServiceDeployment.IN_PROGRESS,
        reason != null ? reason : "ECS deployment " + id + " in progress.",
        "IN_PROGRESS",
        null,
        0,
        now,
        now,
        null,
        null,
        sources,
        deploymentConfiguration);
  }

  /** Returns the newest deployment other than the primary whose rollout COMPLETED, or null. */
  public static ServiceDeployment lastCompleted(Service service) {
    ServiceDeployment primary = service.primary();
    for (ServiceDeployment deployment : service.deployments()) {
      if (deployment != primary && ServiceDeployment.COMPLETED.equals(deployment.rolloutState())) {
        return deployment;
      }
    }
    return null;
  }

  private static String digits(int count, RandomGenerator random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(random.nextInt(10));
    }
    return text.toString();
  }

  private static String token(RandomGenerator random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 22; i++) {
      text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return text.toString();
  }
}
