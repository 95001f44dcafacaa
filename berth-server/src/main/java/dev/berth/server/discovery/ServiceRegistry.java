package dev.berth.server.discovery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The seam through which ECS services with {@code serviceRegistries} keep their tasks in Cloud Map:
 * a service controller registers a task once it is RUNNING (and healthy, when it has a health
 * check), reports its container health while it runs, and deregisters it before it stops.
 *
 * <p>It runs exactly the code of RegisterInstance, UpdateInstanceCustomHealthStatus and
 * DeregisterInstance, so DNS and DiscoverInstances see a task the same way whether ECS or a user
 * registered it. The futures fail with the same {@link dev.berth.api.AwsException}s those
 * operations answer (ServiceNotFound when the registry's service was deleted, InvalidInput when the
 * service's DNS records need an attribute the task lacks, ...). As in ECS, the instance id is the
 * task id (the last part of its ARN).
 */
public interface ServiceRegistry {
  /**
   * An instance as Cloud Map holds it: the ARN of its service, its attributes, and its custom
   * health status (HEALTHY or UNHEALTHY), null for a service without HealthCheckCustomConfig.
   */
  record Instance(String serviceArn, Map<String, String> attributes, String customHealth) {
    /** Creates an instance; the attributes are copied. */
    public Instance {
      attributes = Map.copyOf(attributes);
    }
  }

  /** Returns true if the Cloud Map service that a registry ARN names exists. */
  boolean exists(String serviceArn);

  /**
   * Registers an instance (or updates one of the same id) in the Cloud Map service that a registry
   * ARN names, with AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT set from the arguments (each left out
   * when null) beside the other attributes given (ECS adds ECS_CLUSTER_NAME, ECS_SERVICE_NAME,
   * ECS_TASK_DEFINITION_FAMILY, AVAILABILITY_ZONE, REGION, and may set AWS_INIT_HEALTH_STATUS); the
   * future holds the id of the REGISTER_INSTANCE operation.
   */
  CompletableFuture<String> register(
      String serviceArn,
      String instanceId,
      String ipv4,
      Integer port,
      Map<String, String> attributes);

  /**
   * Deregisters an instance; the future holds the id of the DEREGISTER_INSTANCE operation, or null
   * if the instance (or its service) was already gone, which a controller retrying after a crash
   * must be able to ignore.
   */
  CompletableFuture<String> deregister(String serviceArn, String instanceId);

  /**
   * Sets the custom health of an instance, as UpdateInstanceCustomHealthStatus does; an unhealthy
   * instance leaves the DNS answers (unless no instance is healthy, as in Route 53). It does
   * nothing for a service without HealthCheckCustomConfig, whose instances are always healthy.
   */
  CompletableFuture<Void> setHealthy(String serviceArn, String instanceId, boolean healthy);

  /**
   * Returns the instances registered under an id in the region's Cloud Map services (for an ECS
   * task: the services it is registered in, usually one or none).
   */
  List<Instance> instances(String region, String instanceId);
}
