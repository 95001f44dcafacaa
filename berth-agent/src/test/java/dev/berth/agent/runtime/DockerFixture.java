package dev.berth.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the Docker integration tests share: one port allocator publishing on 127.0.0.1, unique
 * cluster names (every container and task volume carries its cluster as a label, so a test cleans
 * up by it), and a small task runner that does what the agent's state machine will.
 */
final class DockerFixture {
  static final HostPortAllocator PORTS = HostPortAllocator.withDefaultRange("127.0.0.1");

  private DockerFixture() {}

  /** Connects to the local engine and makes sure the test image is there. */
  static DockerRuntime connect() {
    DockerRuntime runtime = DockerRuntime.connect();
    BusyboxImage.ensure(runtime.docker());
    return runtime;
  }

  /** Returns a cluster name no other test uses. */
  static String uniqueCluster() {
    return "it-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** Returns a task ARN in the cluster. */
  static String taskArn(String cluster) {
    return "arn:aws:ecs:us-east-1:000000000000:task/"
        + cluster
        + "/"
        + UUID.randomUUID().toString().replace("-", "");
  }

  /** Parses JSON text into an object node. */
  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every container and volume labelled with the cluster, and frees their ports. */
  static void removeAll(ContainerRuntime runtime, String cluster) {
    Map<String, String> filter = Map.of(EcsLabels.CLUSTER, cluster);
    for (ContainerSummary container : runtime.list(filter)) {
      runtime.remove(container.id());
      PORTS.release(container.ports());
    }
    for (String volume : runtime.listVolumes(filter)) {
      runtime.removeVolume(volume);
    }
  }

  /** A task made of containers created from a task definition, as the agent would. */
  static final class TestTask {
    final TaskScope scope;
    final Map<String, ContainerSpec> specs = new LinkedHashMap<>();
    final Map<String, String> ids = new LinkedHashMap<>();
    private final ContainerRuntime runtime;

    private TestTask(ContainerRuntime runtime, TaskScope scope) {
      this.runtime = runtime;
      this.scope = scope;
    }

    /** Plans the task and provisions its volumes; creates no container yet. */
    static TestTask plan(ContainerRuntime runtime, String cluster, ObjectNode taskDefinition) {
      TaskScope scope = TaskScope.forNewTask(cluster, taskArn(cluster), taskDefinition);
      scope.volumes().provision(runtime);
      return new TestTask(runtime, scope);
    }

    /** Plans the task and creates and starts every container in definition order. */
    static TestTask run(ContainerRuntime runtime, String cluster, ObjectNode taskDefinition) {
      TestTask task = plan(runtime, cluster, taskDefinition);
      for (JsonNode container : taskDefinition.get("containerDefinitions")) {
        task.start(container.get("name").asText());
      }
      return task;
    }

    /** Creates a container of the task and returns its id. */
    String create(String containerName) {
      for (JsonNode container : scope.taskDefinition().get("containerDefinitions")) {
        if (container.get("name").asText().equals(containerName)) {
          ContainerSpec spec = ContainerSpecs.toSpec(scope, (ObjectNode) container, PORTS);
          specs.put(containerName, spec);
          try {
            ids.put(containerName, runtime.create(spec));
          } catch (RuntimeException e) {
            PORTS.release(spec.network().ports());
            throw e;
          }
          return ids.get(containerName);
        }
      }
      throw new IllegalArgumentException("no container " + containerName);
    }

    /** Creates and starts a container of the task and returns its id. */
    String start(String containerName) {
      String id = create(containerName);
      runtime.start(id);
      return id;
    }

    /** Returns the Docker id of a container of the task. */
    String id(String containerName) {
      return ids.get(containerName);
    }

    /** Returns the status of a container of the task. */
    ContainerStatus status(String containerName) {
      return runtime.inspect(id(containerName));
    }
  }
}
