package dev.berth.server.it;

import static dev.berth.server.it.AgentCalls.registerAgent;
import static dev.berth.server.it.AgentCalls.stringSet;
import static dev.berth.server.it.AgentCalls.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/** Tasks through the AWS SDK for Java v2, the test playing the agent with the ECS operations. */
class TaskApiTest {
  private static TestServer berth;
  private static EcsClient ecs;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    ecs = berth.ecs();
    ecs.registerTaskDefinition(
        r ->
            r.family("web")
                .tags(Tag.builder().key("app").value("web").build())
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("httpd")
                        .image("busybox:latest")
                        .cpu(256)
                        .memory(128)
                        .portMappings(
                            PortMapping.builder()
                                .containerPort(8080)
                                .hostPort(8080)
                                .protocol(TransportProtocol.TCP)
                                .build())
                        .healthCheck(h -> h.command("CMD-SHELL", "true"))
                        .build(),
                    ContainerDefinition.builder()
                        .name("sidecar")
                        .image("busybox:latest")
                        .memoryReservation(32)
                        .essential(false)
                        .build()));
    ecs.registerTaskDefinition(
        r ->
            r.family("worker")
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("work")
                        .image("busybox:latest")
                        .cpu(64)
                        .memory(64)
                        .build()));
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  /** Creates a cluster with one connected instance; returns the instance's ARN. */
  private static String clusterWithInstance(String cluster, int cpu, int memory) {
    ecs.createCluster(r -> r.clusterName(cluster));
    String arn = registerAgent(ecs, cluster, cpu, memory).containerInstanceArn();
    berth.setAgentConnected(arn, true);
    return arn;
  }

  private static Task describe(String cluster, String task) {
    return ecs.describeTasks(r -> r.cluster(cluster).tasks(task).include(TaskField.TAGS))
        .tasks()
        .get(0);
  }

  private static ContainerInstance instance(String cluster, String arn) {
    return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arn))
        .containerInstances()
        .get(0);
  }

  @Test
  void aTaskGoesThroughItsLifecycleAsTheAgentReports() {
    String cluster = "lifecycle";
    String instanceArn = clusterWithInstance(cluster, 1024, 1024);

    RunTaskResponse run =
        ecs.runTask(
            r ->
                r.cluster(cluster)
                    .taskDefinition("web")
                    .startedBy("tester")
                    .propagateTags(PropagateTags.TASK_DEFINITION)
                    .enableECSManagedTags(true)
                    .tags(Tag.builder().key("run").value("1").build())
                    .overrides(
                        o ->
                            o.containerOverrides(
                                c ->
                                    c.name("httpd")
                                        .command("httpd", "-f")
                                        .environment(
                                            KeyValuePair.builder().name("A").value("1").build()))));
    assertThat(run.failures()).isEmpty();
    Task created = run.tasks().get(0);
    String taskArn = created.taskArn();
    assertThat(taskArn).matches("arn:aws:ecs:us-east-1:000000000000:task/lifecycle/[0-9a-f]{32}");
    assertThat(created.lastStatus()).isEqualTo("PROVISIONING");
    assertThat(created.desiredStatus()).isEqualTo("RUNNING");
    assertThat(created.containerInstanceArn()).isEqualTo(instanceArn);
    assertThat(created.taskDefinitionArn())
        .isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/web:1");
    assertThat(created.group()).isEqualTo("family:web");
    assertThat(created.launchType()).isEqualTo(LaunchType.EC2);
    assertThat(created.containers())
        .extracting(Container::name)
        .containsExactly("httpd", "sidecar");
    assertThat(created.containers().get(0).containerArn())
        .startsWith("arn:aws:ecs:us-east-1:000000000000:container/lifecycle/");
    assertThat(created.overrides().containerOverrides())
        .extracting(o -> o.name())
        .containsExactly("httpd", "sidecar");
    assertThat(created.tags())
        .extracting(Tag::key)
        .containsExactlyInAnyOrder("app", "run", "aws:ecs:clusterName");

    Instant pullStarted = Instant.parse("2026-01-01T00:00:01Z");
    Instant pullStopped = Instant.parse("2026-01-01T00:00:02Z");
    ecs.submitTaskStateChange(
        r ->
            r.cluster(cluster)
                .task(taskArn)
                .status("PENDING")
                .pullStartedAt(pullStarted)
                .pullStoppedAt(pullStopped));
    ecs.submitContainerStateChange(
        r ->
            r.cluster(cluster)
                .task(taskArn)
                .containerName("httpd")
                .status("RUNNING")
                .runtimeId("c0ffee")
                .networkBindings(
                    NetworkBinding.builder()
                        .bindIP("0.0.0.0")
                        .containerPort(8080)
                        .hostPort(8080)
                        .protocol(TransportProtocol.TCP)
                        .build()));
    String ack =
        ecs.submitTaskStateChange(
                r ->
                    r.cluster(cluster)
                        .task(taskArn)
                        .status("RUNNING")
                        .containers(
                            ContainerStateChange.builder()
                                .containerName("sidecar")
                                .status("RUNNING")
                                .runtimeId("beef")
                                .build()))
            .acknowledgment();
    assertThat(ack).isEqualTo("ACK");

    Task running = describe(cluster, taskArn);
    assertThat(running.lastStatus()).isEqualTo("RUNNING");
    assertThat(running.startedAt()).isNotNull();
    assertThat(running.pullStartedAt()).isEqualTo(pullStarted);
    assertThat(running.pullStoppedAt()).isEqualTo(pullStopped);
    assertThat(running.connectivityAsString()).isEqualTo("CONNECTED");
    assertThat(running.connectivityAt()).isNotNull();
    assertThat(running.createdAt()).isNotNull();
    assertThat(running.startedBy()).isEqualTo("tester");
    assertThat(running.healthStatusAsString()).isEqualTo("UNKNOWN");
    assertThat(running.version()).isGreaterThan(created.version());
    assertThat(running.tags()).isNotEmpty();
    assertThat(running.attributes()).extracting(a -> a.name()).contains("ecs.cpu-architecture");
    Container httpd = running.containers().get(0);
    assertThat(httpd.lastStatus()).isEqualTo("RUNNING");
    assertThat(httpd.runtimeId()).isEqualTo("c0ffee");
    assertThat(httpd.networkBindings()).extracting(NetworkBinding::hostPort).containsExactly(8080);
    assertThat(httpd.cpu()).isEqualTo("256");
    assertThat(httpd.memory()).isEqualTo("128");
    assertThat(httpd.taskArn()).isEqualTo(taskArn);
    assertThat(running.containers().get(1).memoryReservation()).isEqualTo("32");

    ContainerInstance busy = instance(cluster, instanceArn);
    assertThat(busy.runningTasksCount()).isEqualTo(1);
    assertThat(value(busy.remainingResources(), "CPU")).isEqualTo(1024 - 256);
    assertThat(value(busy.remainingResources(), "MEMORY")).isEqualTo(1024 - 128 - 32);
    assertThat(stringSet(busy.remainingResources(), "PORTS")).containsExactly("22", "8080");
    Cluster counted = ecs.describeClusters(r -> r.clusters(cluster)).clusters().get(0);
    assertThat(counted.runningTasksCount()).isEqualTo(1);
    assertThat(counted.pendingTasksCount()).isZero();
    assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("lifecycle-empty-check")))
        .isInstanceOf(ClusterNotFoundException.class);

    Task stopping = ecs.stopTask(r -> r.cluster(cluster).task(taskArn).reason("enough")).task();
    assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
    assertThat(stopping.lastStatus()).isEqualTo("RUNNING");
    assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    assertThat(stopping.stoppingAt()).isNotNull();

    ecs.submitTaskStateChange(
        r ->
            r.cluster(cluster)
                .task(taskArn)
                .status("STOPPED")
                .executionStoppedAt(Instant.parse("2026-01-01T00:10:00Z"))
                .containers(
                    ContainerStateChange.builder()
                        .containerName("httpd")
                        .status("STOPPED")
                        .exitCode(143)
                        .build(),
                    ContainerStateChange.builder()
                        .containerName("sidecar")
                        .status("STOPPED")
                        .exitCode(0)
                        .build()));

    Task stopped = describe(cluster, taskArn);
    assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    assertThat(stopped.stoppedReason()).isEqualTo("enough");
    assertThat(stopped.stoppedAt()).isNotNull();
    assertThat(stopped.executionStoppedAt()).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
    assertThat(stopped.containers()).extracting(Container::exitCode).containsExactly(143, 0);
    ContainerInstance idle = instance(cluster, instanceArn);
    assertThat(idle.runningTasksCount()).isZero();
    assertThat(value(idle.remainingResources(), "CPU")).isEqualTo(1024);
    assertThat(value(idle.remainingResources(), "MEMORY")).isEqualTo(1024);
    assertThat(stringSet(idle.remainingResources(), "PORTS")).containsExactly("22");
    assertThat(
            ecs.listTasks(r -> r.cluster(cluster).desiredStatus(DesiredStatus.STOPPED)).taskArns())
        .containsExactly(taskArn);
    assertThat(ecs.listTasks(r -> r.cluster(cluster)).taskArns()).isEmpty();
  }

  @Test
  void runTaskFailsWithEcsReasonsWhenNothingFits() {
    String cluster = "crowded";
    String instanceArn = clusterWithInstance(cluster, 256, 1024);

    RunTaskResponse first = ecs.runTask(r -> r.cluster(cluster).taskDefinition("web").count(2));

    assertThat(first.tasks()).hasSize(1);
    assertThat(first.failures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.arn()).isEqualTo(instanceArn);
              assertThat(failure.reason()).isEqualTo("RESOURCE:CPU");
            });
    berth.setAgentConnected(instanceArn, false);
    assertThat(ecs.runTask(r -> r.cluster(cluster).taskDefinition("worker")).failures())
        .extracting(f -> f.reason())
        .containsExactly("AGENT");
    assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster(cluster)))
        .isInstanceOf(
            software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException
                .class);
  }

  @Test
  void listTasksFiltersAndPages() {
    String cluster = "listing";
    String instanceArn = clusterWithInstance(cluster, 4096, 4096);
    List<String> workers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      workers.addAll(
          ecs
              .runTask(r -> r.cluster(cluster).taskDefinition("worker").startedBy("batch"))
              .tasks()
              .stream()
              .map(Task::taskArn)
              .toList());
    }
    String web =
        ecs.runTask(r -> r.cluster(cluster).taskDefinition("web:1")).tasks().get(0).taskArn();

    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListTasksResponse page =
          ecs.listTasks(r -> r.cluster(cluster).family("worker").maxResults(2).nextToken(next));
      seen.addAll(page.taskArns());
      token = page.nextToken();
    } while (token != null);

    assertThat(seen).containsExactlyInAnyOrderElementsOf(workers);
    assertThat(ecs.listTasksPaginator(r -> r.cluster(cluster).maxResults(1)).taskArns()).hasSize(6);
    assertThat(ecs.listTasks(r -> r.cluster(cluster).startedBy("batch")).taskArns()).hasSize(5);
    assertThat(ecs.listTasks(r -> r.cluster(cluster).family("web")).taskArns())
        .containsExactly(web);
    String instanceId = instanceArn.substring(instanceArn.lastIndexOf('/') + 1);
    assertThat(ecs.listTasks(r -> r.cluster(cluster).containerInstance(instanceId)).taskArns())
        .hasSize(6);
    assertThat(ecs.listTasks(r -> r.cluster(cluster).launchType(LaunchType.EXTERNAL)).taskArns())
        .isEmpty();
    assertThat(ecs.listTasks(r -> r.cluster(cluster).serviceName("nope")).taskArns()).isEmpty();
    assertThat(
            ecs.listTasks(r -> r.cluster(cluster).desiredStatus(DesiredStatus.PENDING)).taskArns())
        .isEmpty();
    assertThat(ecs.describeClusters(r -> r.clusters(cluster)).clusters().get(0).pendingTasksCount())
        .isEqualTo(6);
    assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster(cluster)))
        .isInstanceOf(
            software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException
                .class);
    ecs.deregisterContainerInstance(
        r -> r.cluster(cluster).containerInstance(instanceArn).force(true));
    // The agent had picked none of them up: the server stopped them itself.
    assertThat(ecs.listTasks(r -> r.cluster(cluster)).taskArns()).isEmpty();
    ecs.deleteCluster(r -> r.cluster(cluster));
  }

  @Test
  void startTaskRunsOnTheNamedInstance() {
    String cluster = "starting";
    String instanceArn = clusterWithInstance(cluster, 1024, 1024);

    Task task =
        ecs.startTask(
                r -> r.cluster(cluster).taskDefinition("worker").containerInstances(instanceArn))
            .tasks()
            .get(0);

    assertThat(task.containerInstanceArn()).isEqualTo(instanceArn);
    assertThat(
            ecs.startTask(
                    r ->
                        r.cluster(cluster)
                            .taskDefinition("worker")
                            .containerInstances("0123456789abcdef0123456789abcdef"))
                .failures())
        .extracting(f -> f.reason())
        .containsExactly("MISSING");
  }

  @Test
  void tasksCarryTagsOfTheirOwn() {
    String cluster = "tagging";
    clusterWithInstance(cluster, 1024, 1024);
    String taskArn =
        ecs.runTask(r -> r.cluster(cluster).taskDefinition("worker")).tasks().get(0).taskArn();

    ecs.tagResource(r -> r.resourceArn(taskArn).tags(Tag.builder().key("k").value("v").build()));
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(taskArn)).tags())
        .containsExactly(Tag.builder().key("k").value("v").build());
    ecs.untagResource(r -> r.resourceArn(taskArn).tagKeys("k"));
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(taskArn)).tags()).isEmpty();
    assertThat(describe(cluster, taskArn).version()).isEqualTo(1L);
  }

  @Test
  void errorsAreEcsErrors() {
    String cluster = "errors";
    clusterWithInstance(cluster, 1024, 1024);

    assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("ghost").taskDefinition("worker")))
        .isInstanceOf(ClusterNotFoundException.class);
    assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(cluster).taskDefinition("nope")))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("Unable to describe task definition.");
    assertThatThrownBy(
            () -> ecs.runTask(r -> r.cluster(cluster).taskDefinition("worker").count(11)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(
            () ->
                ecs.runTask(
                    r ->
                        r.cluster(cluster).taskDefinition("worker").launchType(LaunchType.FARGATE)))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThatThrownBy(
            () -> ecs.stopTask(r -> r.cluster(cluster).task("0123456789abcdef0123456789abcdef")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("The referenced task was not found.");
    assertThat(
            ecs.describeTasks(r -> r.cluster(cluster).tasks("0123456789abcdef0123456789abcdef"))
                .failures())
        .extracting(f -> f.reason())
        .containsExactly("MISSING");
    assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster("ghost").tasks("x")))
        .isInstanceOf(ClusterNotFoundException.class);
  }

  @Test
  void aRestartKeepsInstancesAndTasks() throws Exception {
    Path dir = Files.createTempDirectory("berth-restart-");
    String instanceArn;
    String taskArn;
    long versionBefore;
    TestServer first = TestServer.start(dir);
    try {
      EcsClient client = first.ecs();
      client.createCluster(r -> r.clusterName("durable"));
      client.registerTaskDefinition(
          r ->
              r.family("durable")
                  .containerDefinitions(
                      ContainerDefinition.builder().name("a").image("busybox").memory(64).build()));
      instanceArn = registerAgent(client, "durable", 1024, 1024).containerInstanceArn();
      first.setAgentConnected(instanceArn, true);
      taskArn =
          client
              .runTask(r -> r.cluster("durable").taskDefinition("durable"))
              .tasks()
              .get(0)
              .taskArn();
      client.submitTaskStateChange(r -> r.cluster("durable").task(taskArn).status("RUNNING"));
      // Stored after the task as created: a later version and a tag, both to survive the restart.
      client.tagResource(
          r -> r.resourceArn(taskArn).tags(Tag.builder().key("team").value("blue").build()));
      versionBefore =
          client
              .describeContainerInstances(r -> r.cluster("durable").containerInstances(instanceArn))
              .containerInstances()
              .get(0)
              .version();
    } finally {
      first.stop();
    }
    try (TestServer second = TestServer.start(dir)) {
      EcsClient client = second.ecs();
      ContainerInstance instance =
          client
              .describeContainerInstances(r -> r.cluster("durable").containerInstances(instanceArn))
              .containerInstances()
              .get(0);
      assertThat(instance.status()).isEqualTo("ACTIVE");
      assertThat(instance.version())
          .as("registered, then moved on by the task placed")
          .isEqualTo(versionBefore)
          .isEqualTo(2L);
      assertThat(instance.agentConnected()).isFalse();
      assertThat(instance.runningTasksCount()).isEqualTo(1);
      assertThat(value(instance.remainingResources(), "MEMORY")).isEqualTo(1024 - 64);
      Task task =
          client
              .describeTasks(r -> r.cluster("durable").tasks(taskArn).include(TaskField.TAGS))
              .tasks()
              .get(0);
      assertThat(task.lastStatus()).isEqualTo("RUNNING");
      assertThat(task.version()).isEqualTo(2L);
      assertThat(task.tags()).containsExactly(Tag.builder().key("team").value("blue").build());

      // The agent restarts and registers the same instance again: its tasks stay with it.
      ContainerInstance again =
          client
              .registerContainerInstance(
                  r ->
                      r.cluster("durable")
                          .containerInstanceArn(instanceArn)
                          .totalResources(
                              AgentCalls.integer("CPU", 2048), AgentCalls.integer("MEMORY", 1024)))
              .containerInstance();
      assertThat(again.containerInstanceArn()).isEqualTo(instanceArn);
      assertThat(again.version()).isGreaterThan(instance.version());
      assertThat(value(again.remainingResources(), "CPU")).isEqualTo(2048);
      assertThat(client.listTasks(r -> r.cluster("durable")).taskArns()).containsExactly(taskArn);
      assertThatThrownBy(() -> client.deleteCluster(r -> r.cluster("durable")))
          .isInstanceOf(
              software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException
                  .class);
      client.deregisterContainerInstance(
          r -> r.cluster("durable").containerInstance(instanceArn).force(true));
      assertThat(
              client
                  .describeTasks(r -> r.cluster("durable").tasks(taskArn))
                  .tasks()
                  .get(0)
                  .lastStatus())
          .as("no agent is connected to stop it, so the server does")
          .isEqualTo("STOPPED");
    }
  }
}
