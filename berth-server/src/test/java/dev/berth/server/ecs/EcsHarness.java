package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.EcsState;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * An EcsService over an in-memory store with a clock the test moves, called with JSON as the front
 * door would call it, plus the steps tests repeat: a cluster, instances, task definitions.
 */
final class EcsHarness {
  static final RequestContext CONTEXT =
      new RequestContext("test", "us-east-1", "000000000000", "AKIDTEST");

  /** The capabilities Berth's agent registers, which task definitions may require. */
  static final String CAPABILITIES = capabilities();

  final MemoryStore store;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final EcsState state;
  final EcsService service;

  EcsHarness() {
    this(Runnable::run, Duration.ofHours(1));
  }

  EcsHarness(Executor executor, Duration retention) {
    this(executor, retention, dev.berth.server.controller.ServiceAttachments.NONE);
  }

  EcsHarness(
      Executor executor,
      Duration retention,
      dev.berth.server.controller.ServiceAttachments attachments) {
    store = new MemoryStore();
    state = new EcsState(store, executor);
    service = new EcsService(state, clock, () -> "http://127.0.0.1:4747", retention, attachments);
    call("CreateCluster", "{\"clusterName\":\"default\"}");
  }

  /**
   * Starts again over the store of an earlier harness, as a server restarting over its data: the
   * state is loaded from the store, and nothing of the earlier harness's memory is kept.
   */
  EcsHarness(MemoryStore store, dev.berth.server.controller.ServiceAttachments attachments) {
    this.store = store;
    state = new EcsState(store, Runnable::run);
    state.load();
    service =
        new EcsService(
            state, clock, () -> "http://127.0.0.1:4747", Duration.ofHours(1), attachments);
  }

  /**
   * Calls an operation with a JSON body and returns the response as a client reads it (serialized
   * and parsed again: answers may hold pre-rendered raw JSON), or throws its AwsException.
   */
  JsonNode call(String operation, String json) {
    try {
      JsonNode response = service.invoke(operation, Json.MAPPER.readTree(json), CONTEXT).join();
      return response == null
          ? null
          : Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(response));
    } catch (CompletionException e) {
      if (e.getCause() instanceof AwsException aws) {
        throw aws;
      }
      throw e;
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls an operation with a JSON object built by the test. */
  JsonNode call(String operation, ObjectNode input) {
    return call(operation, input.toString());
  }

  /** Registers an instance with the CPU and memory given, connects its agent, returns its ARN. */
  String connectedInstance(int cpu, int memory) {
    String arn = instance(cpu, memory);
    service.agentFacing().setAgentConnected(arn, true);
    return arn;
  }

  /** Registers an instance with the CPU and memory given (port 22 reserved); returns its ARN. */
  String instance(int cpu, int memory) {
    String body =
        """
        {"cluster":"default","totalResources":[
          {"name":"CPU","type":"INTEGER","integerValue":%d},
          {"name":"MEMORY","type":"INTEGER","integerValue":%d},
          {"name":"PORTS","type":"STRINGSET","stringSetValue":["22"]},
          {"name":"PORTS_UDP","type":"STRINGSET","stringSetValue":[]}],
         "attributes":[{"name":"ecs.availability-zone","value":"zone-a"},
                       {"name":"ecs.cpu-architecture","value":"x86_64"}%s]}
        """
            .formatted(cpu, memory, CAPABILITIES);
    return call("RegisterContainerInstance", body)
        .path("containerInstance")
        .path("containerInstanceArn")
        .asText();
  }

  /** Registers a one-container task definition "family" with cpu, memory and a host port. */
  void taskDefinition(String family, int cpu, int memory, Integer hostPort) {
    String ports =
        hostPort == null ? "[]" : "[{\"containerPort\":80,\"hostPort\":%d}]".formatted(hostPort);
    call(
        "RegisterTaskDefinition",
        """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"busybox","cpu":%d,
          "memory":%d,"portMappings":%s}]}
        """
            .formatted(family, cpu, memory, ports));
  }

  /** Runs count tasks of a family and returns the response. */
  JsonNode runTask(String family, int count) {
    return call(
        "RunTask",
        "{\"cluster\":\"default\",\"taskDefinition\":\"%s\",\"count\":%d}"
            .formatted(family, count));
  }

  /** Returns the task ARN of the first task of a RunTask response. */
  static String firstTaskArn(JsonNode runTaskResponse) {
    return runTaskResponse.path("tasks").get(0).path("taskArn").asText();
  }

  /** Reports a task status as the agent would, with no container details. */
  JsonNode report(String taskArn, String status) {
    return call(
        "SubmitTaskStateChange",
        "{\"cluster\":\"default\",\"task\":\"%s\",\"status\":\"%s\"}".formatted(taskArn, status));
  }

  /** Returns DescribeTasks' view of one task. */
  JsonNode task(String taskArn) {
    return call("DescribeTasks", "{\"cluster\":\"default\",\"tasks\":[\"%s\"]}".formatted(taskArn))
        .path("tasks")
        .get(0);
  }

  /** Returns DescribeContainerInstances' view of one instance. */
  JsonNode instanceView(String instanceArn) {
    return call(
            "DescribeContainerInstances",
            "{\"cluster\":\"default\",\"containerInstances\":[\"%s\"]}".formatted(instanceArn))
        .path("containerInstances")
        .get(0);
  }

  private static String capabilities() {
    StringBuilder json = new StringBuilder();
    for (int minor = 17; minor <= 44; minor++) {
      json.append(",{\"name\":\"com.amazonaws.ecs.capability.docker-remote-api.1.")
          .append(minor)
          .append("\"}");
    }
    for (String capability :
        new String[] {
          "com.amazonaws.ecs.capability.logging-driver.json-file",
          "com.amazonaws.ecs.capability.logging-driver.none",
          "ecs.capability.container-health-check",
          "ecs.capability.container-ordering",
          "ecs.capability.task-cpu-mem-limit"
        }) {
      json.append(",{\"name\":\"").append(capability).append("\"}");
    }
    return json.toString();
  }

  /** Returns the integer value of a named resource in a Resource list. */
  static int resource(JsonNode resources, String name) {
    for (JsonNode resource : resources) {
      if (resource.path("name").asText().equals(name)) {
        return resource.path("integerValue").asInt();
      }
    }
    throw new AssertionError("no resource " + name);
  }
}
