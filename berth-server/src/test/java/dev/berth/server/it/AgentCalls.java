package dev.berth.server.it;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/** The ECS calls an agent makes, through the AWS SDK, for tests that play the agent. */
final class AgentCalls {
  private AgentCalls() {}

  /** Returns an INTEGER resource as the ECS agent registers CPU and MEMORY. */
  static Resource integer(String name, int value) {
    return Resource.builder().name(name).type("INTEGER").integerValue(value).build();
  }

  /** Returns a STRINGSET resource as the ECS agent registers PORTS and PORTS_UDP. */
  static Resource ports(String name, String... ports) {
    return Resource.builder().name(name).type("STRINGSET").stringSetValue(ports).build();
  }

  /** Registers an instance with the CPU and memory given and the host's port 22 reserved. */
  static ContainerInstance register(EcsClient ecs, String cluster, int cpu, int memory) {
    return register(ecs, cluster, cpu, memory, attributes().subList(0, 2));
  }

  /**
   * Registers an instance as Berth's agent does: with the CPU and memory given, port 22 reserved
   * and the capabilities the agent advertises, which task definitions may require.
   */
  static ContainerInstance registerAgent(EcsClient ecs, String cluster, int cpu, int memory) {
    return register(ecs, cluster, cpu, memory, attributes());
  }

  private static ContainerInstance register(
      EcsClient ecs, String cluster, int cpu, int memory, java.util.List<Attribute> attributes) {
    return ecs.registerContainerInstance(
            r ->
                r.cluster(cluster)
                    .totalResources(
                        integer("CPU", cpu),
                        integer("MEMORY", memory),
                        ports("PORTS", "22"),
                        ports("PORTS_UDP"))
                    .versionInfo(v -> v.agentVersion("1.0.0").dockerVersion("25.0.0"))
                    .attributes(attributes))
        .containerInstance();
  }

  /** Returns the attributes Berth's agent registers: platform and the capabilities it has. */
  static java.util.List<Attribute> attributes() {
    java.util.List<Attribute> attributes = new java.util.ArrayList<>();
    attributes.add(Attribute.builder().name("ecs.os-type").value("linux").build());
    attributes.add(Attribute.builder().name("ecs.cpu-architecture").value("x86_64").build());
    for (int minor = 17; minor <= 44; minor++) {
      attributes.add(
          Attribute.builder()
              .name("com.amazonaws.ecs.capability.docker-remote-api.1." + minor)
              .build());
    }
    for (String capability :
        java.util.List.of(
            "com.amazonaws.ecs.capability.logging-driver.json-file",
            "com.amazonaws.ecs.capability.logging-driver.none",
            "ecs.capability.container-health-check",
            "ecs.capability.container-ordering",
            "ecs.capability.task-cpu-mem-limit")) {
      attributes.add(Attribute.builder().name(capability).build());
    }
    return attributes;
  }

  /** Returns the integer value of a named resource. */
  static int value(java.util.List<Resource> resources, String name) {
    return resources.stream()
        .filter(resource -> resource.name().equals(name))
        .findFirst()
        .orElseThrow()
        .integerValue();
  }

  /** Returns the string set of a named resource. */
  static java.util.List<String> stringSet(java.util.List<Resource> resources, String name) {
    return resources.stream()
        .filter(resource -> resource.name().equals(name))
        .findFirst()
        .orElseThrow()
        .stringSetValue();
  }
}
