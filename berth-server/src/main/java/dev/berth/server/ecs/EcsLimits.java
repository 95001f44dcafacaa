package dev.berth.server.ecs;

import dev.berth.api.model.InputValidator.LengthLimits;
import java.util.Map;

/**
 * The string lengths ECS documents (in its API reference and its service quotas) but its model does
 * not carry, checked at the front door as if the model carried them. Members whose limit an ECS
 * rule already enforces with ECS's own message (names, families, images, startedBy, attribute names
 * and values, clientToken) are left to that rule.
 */
public final class EcsLimits {
  /**
   * The longest string ECS takes where it documents no limit of its own: the task definition quota,
   * 64 KiB, which no value in a task definition can exceed, and which Berth applies to every other
   * string too, so that nothing a caller sends is stored beyond it.
   */
  public static final int CEILING = 65_536;

  /** The largest RegisterTaskDefinition request ECS takes, in bytes of its JSON: 64 KiB. */
  public static final int MAX_TASK_DEFINITION_BYTES = 65_536;

  /**
   * ECS's limits of single members and of lists, from each member's documentation in the API
   * reference.
   */
  public static final LengthLimits LIMITS =
      new LengthLimits(
          Map.ofEntries(
              // "A short (1024 max characters) human-readable string" (Container.reason); a
              // caller's reason ends up in a task's stoppedReason. The reasons an agent reports
              // keep the ceiling only: refusing a whole state change for a long Docker error
              // would leave the task's state behind.
              Map.entry("StopTaskRequest.reason", 1024),
              // "The name can include up to 64 characters" (PortMapping.name).
              Map.entry("PortMapping.name", 64),
              // Service Connect's names: 64 and 127 characters; a namespace name up to 1024.
              Map.entry("ServiceConnectService.discoveryName", 64),
              Map.entry("ServiceConnectClientAlias.dnsName", 127),
              Map.entry("ClusterServiceConnectDefaultsRequest.namespace", 1024),
              // "up to 255 letters ... numbers, underscores, and hyphens"
              // (ContainerDefinition.links)
              Map.entry("ContainerDefinition.links", 255),
              // Not documented: ECS says referenceId is for its own use; Berth keeps it as short
              // as the other identifiers a task carries.
              Map.entry("RunTaskRequest.referenceId", 1024),
              Map.entry("StartTaskRequest.referenceId", 1024),
              // Not documented: version strings of an agent and its Docker engine.
              Map.entry("VersionInfo.agentVersion", 255),
              Map.entry("VersionInfo.agentHash", 255),
              Map.entry("VersionInfo.dockerVersion", 255)),
          Map.ofEntries(
              // "You can specify up to ten environment files"
              // (ContainerDefinition.environmentFiles).
              Map.entry("ContainerDefinition.environmentFiles", 10),
              Map.entry("ContainerOverride.environmentFiles", 10),
              // "There's a limit of 16 subnets" and "of 5 security groups" (AwsVpcConfiguration).
              Map.entry("AwsVpcConfiguration.subnets", 16),
              Map.entry("AwsVpcConfiguration.securityGroups", 5),
              // "A capacity provider strategy can contain a maximum of 20 capacity providers".
              Map.entry("RunTaskRequest.capacityProviderStrategy", 20),
              Map.entry("CreateServiceRequest.capacityProviderStrategy", 20),
              Map.entry("UpdateServiceRequest.capacityProviderStrategy", 20),
              // "The maximum number of ARNs is 1" (ContainerDefinition.credentialSpecs).
              Map.entry("ContainerDefinition.credentialSpecs", 1),
              // "You can specify a maximum of 50 container exit codes" (ContainerRestartPolicy).
              Map.entry("ContainerRestartPolicy.ignoredExitCodes", 50),
              // "The maximum number of client aliases ... is 1" (ServiceConnectService).
              Map.entry("ServiceConnectService.clientAliases", 1)),
          CEILING);

  private EcsLimits() {}
}
