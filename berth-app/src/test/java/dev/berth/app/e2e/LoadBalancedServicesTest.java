package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.berth.agent.runtime.DockerTestAccess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.InstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;

/**
 * Services behind the built-in load balancer and in Cloud Map, on a real Docker engine, driven
 * through the AWS SDK (ECS, ELBv2, Cloud Map) and seen from outside: HTTP through a listener, DNS
 * packets to the server's DNS server. Each task runs busybox httpd answering "/" with its
 * revision's version and its hostname (its short container id), and "/health" while the file
 * /www/health exists.
 */
class LoadBalancedServicesTest {
  private static final int WEB_PORT = 8080;

  /**
   * The longest a deregistered target drains (a target with no request in flight drains at once):
   * short, so that no stopping task waits ELB's default five minutes.
   */
  private static final String DEREGISTRATION_DELAY_SECONDS = "3";

  /** The grace period of services whose targets are expected to stay healthy. */
  private static final int GRACE_SECONDS = 5;

  private static final String NAMESPACE = "e2e.berth.local";

  private static final Consumer<WaiterOverrideConfiguration.Builder> QUICK =
      o ->
          o.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(300)))
              .waitTimeout(PATIENCE);

  private static LocalBerth berth;
  private static EcsClient ecs;
  private static ElasticLoadBalancingV2Client elb;
  private static ServiceDiscoveryClient cloudMap;
  private static String cluster;
  private static String ec2InstanceId;

  @BeforeAll
  static void start() {
    berth = LocalBerth.start();
    ecs = berth.ecs();
    elb = berth.elb();
    cloudMap = berth.cloudMap();
    cluster = berth.cluster();
    ec2InstanceId = berth.instance().ec2InstanceId();
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  /** A load balancer whose one listener forwards every request to a target group of its own. */
  private record Front(String loadBalancerArn, String targetGroupArn, int port) {}

  /** A target as DescribeTargetHealth reports it. */
  private record Target(String id, int port, String state) {}

  /** What a task's httpd answers on "/": its revision's version and its hostname. */
  private record Answer(String version, String hostname) {
    static Answer of(String body) {
      String[] words = body.trim().split(" ");
      if (words.length != 2) {
        throw new IllegalArgumentException("not an answer of the web task: " + body);
      }
      return new Answer(words[0], words[1]);
    }
  }

  /**
   * Registers a web task definition: httpd on container port 8080, mapped to a dynamic host port,
   * answering "/" with the version given and the container's hostname.
   */
  private static String web(String family, String version) {
    return berth.register(
        family,
        berth
            .container("web")
            .portMappings(Http.dynamicHostPort(WEB_PORT))
            .environment(KeyValuePair.builder().name("VERSION").value(version).build())
            .command(
                Shell.serve(
                    "/www",
                    "mkdir -p /www && echo \"$VERSION $(hostname)\" > /www/index.html"
                        + " && echo ok > /www/health")));
  }

  /**
   * Creates an instance target group of the name, checking /health every 5 seconds (healthy after 2
   * passes, unhealthy after 2 failures), with a short deregistration delay.
   */
  private static String targetGroup(String name) {
    String arn =
        elb.createTargetGroup(
                r ->
                    r.name(name)
                        .protocol(ProtocolEnum.HTTP)
                        .port(WEB_PORT)
                        .targetType(TargetTypeEnum.INSTANCE)
                        .healthCheckPath("/health")
                        .healthCheckIntervalSeconds(5)
                        .healthCheckTimeoutSeconds(2)
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(2))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    elb.modifyTargetGroupAttributes(
        r ->
            r.targetGroupArn(arn)
                .attributes(
                    TargetGroupAttribute.builder()
                        .key("deregistration_delay.timeout_seconds")
                        .value(DEREGISTRATION_DELAY_SECONDS)
                        .build()));
    return arn;
  }

  /**
   * Creates a load balancer of the name with a listener on a free port of 127.0.0.1 forwarding to a
   * new target group of the same name.
   */
  private static Front front(String name) {
    String loadBalancer =
        elb.createLoadBalancer(r -> r.name(name)).loadBalancers().get(0).loadBalancerArn();
    String group = targetGroup(name);
    int port = LocalBerth.freePort();
    elb.createListener(
        r ->
            r.loadBalancerArn(loadBalancer)
                .protocol(ProtocolEnum.HTTP)
                .port(port)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)));
    assertThat(
            elb.describeTargetGroups(r -> r.targetGroupArns(group))
                .targetGroups()
                .get(0)
                .loadBalancerArns())
        .containsExactly(loadBalancer);
    return new Front(loadBalancer, group, port);
  }

  /** Creates a service of web tasks behind the target group. */
  private static void createBalanced(
      String service, String taskDefinition, int count, String targetGroup, int graceSeconds) {
    ecs.createService(
        r ->
            r.cluster(cluster)
                .serviceName(service)
                .taskDefinition(taskDefinition)
                .desiredCount(count)
                .healthCheckGracePeriodSeconds(graceSeconds)
                .loadBalancers(
                    l ->
                        l.targetGroupArn(targetGroup)
                            .containerName("web")
                            .containerPort(WEB_PORT)));
  }

  private static Service describe(String service) {
    return ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
  }

  /**
   * Waits for the SDK's waiter (one deployment, running as many as desired), then for the rollout
   * to be COMPLETED; returns the service.
   */
  private static Service awaitSteady(String service) {
    assertThat(
            ecs.waiter()
                .waitUntilServicesStable(r -> r.cluster(cluster).services(service), QUICK)
                .matched()
                .response())
        .isPresent();
    return await(service + " rollout completed")
        .atMost(PATIENCE)
        .until(
            () -> describe(service),
            s -> "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString()));
  }

  /** Returns the service's tasks that have not STOPPED, as DescribeTasks shows them. */
  private static List<Task> liveTasks(String service) {
    // A set: a task asked to stop between the two listings shows up in both.
    Set<String> arns = new LinkedHashSet<>();
    for (DesiredStatus desired : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
      arns.addAll(
          ecs.listTasks(r -> r.cluster(cluster).serviceName(service).desiredStatus(desired))
              .taskArns());
    }
    return describeTasks(arns).stream().filter(t -> !"STOPPED".equals(t.lastStatus())).toList();
  }

  private static List<Task> describeTasks(Collection<String> taskArns) {
    if (taskArns.isEmpty()) {
      return List.of();
    }
    return ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArns)).tasks();
  }

  private static int hostPort(Task task) {
    return Http.hostPort(task, "web", WEB_PORT);
  }

  /** Returns the hostname Docker gave the task's container: its id's first 12 characters. */
  private static String hostname(Task task) {
    return task.containers().get(0).runtimeId().substring(0, 12);
  }

  private static String taskId(Task task) {
    return task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
  }

  private static List<Target> targets(String targetGroup) {
    return elb
        .describeTargetHealth(r -> r.targetGroupArn(targetGroup))
        .targetHealthDescriptions()
        .stream()
        .map(d -> new Target(d.target().id(), d.target().port(), d.targetHealth().stateAsString()))
        .toList();
  }

  /** Returns the targets the tasks must be: their instance and host port, healthy. */
  private static List<Target> healthyTargetsOf(List<Task> tasks) {
    return tasks.stream().map(t -> new Target(ec2InstanceId, hostPort(t), "healthy")).toList();
  }

  /** Sends a GET of "/" through the listener and returns the answer, failing unless it is 200. */
  private static Answer get(Front front) throws IOException, InterruptedException {
    return Answer.of(Http.get(front.port(), "/"));
  }

  /** Runs a command in the task's container, as docker exec does, and checks that it exits 0. */
  private static void exec(Task task, String... command) throws InterruptedException {
    DockerClient docker = DockerTestAccess.client(berth.docker());
    String exec =
        docker
            .execCreateCmd(task.containers().get(0).runtimeId())
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd(command)
            .exec()
            .getId();
    docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
    // The output's stream may end before the engine has recorded the exit code.
    Long exitCode =
        await("exit of " + String.join(" ", command))
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> docker.inspectExecCmd(exec).exec().getExitCodeLong(), code -> code != null);
    assertThat(exitCode).isZero();
  }

  /** Sends a DNS query to the server's DNS server over UDP and returns the answer section. */
  private static List<Record> dns(String name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(berth.dnsAddress());
    resolver.setTimeout(Duration.ofSeconds(5));
    Message answer =
        resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    return answer.getSection(Section.ANSWER);
  }

  private static List<SRVRecord> srv(String name) throws IOException {
    return dns(name, Type.SRV).stream().map(SRVRecord.class::cast).toList();
  }

  private static List<Integer> srvPorts(String name) throws IOException {
    return srv(name).stream().map(SRVRecord::getPort).sorted().toList();
  }

  private static List<Integer> sortedHostPorts(List<Task> tasks) {
    return tasks.stream().map(LoadBalancedServicesTest::hostPort).sorted().toList();
  }

  /** Returns the Cloud Map instances of a service, by id, with their attributes. */
  private static Map<String, Map<String, String>> instances(String cloudMapServiceId) {
    Map<String, Map<String, String>> instances = new LinkedHashMap<>();
    for (InstanceSummary instance :
        cloudMap.listInstances(r -> r.serviceId(cloudMapServiceId)).instances()) {
      instances.put(instance.id(), instance.attributes());
    }
    return instances;
  }

  /** Creates a private DNS namespace, waits for its operation to succeed and returns its id. */
  private static String privateNamespace(String name) {
    String operationId =
        cloudMap.createPrivateDnsNamespace(r -> r.name(name).vpc("vpc-e2e")).operationId();
    return await("namespace " + name + " created")
        .atMost(PATIENCE)
        .until(
            () -> cloudMap.getOperation(r -> r.operationId(operationId)).operation(),
            operation -> operation.status() == OperationStatus.SUCCESS)
        .targets()
        .get(OperationTargetType.NAMESPACE);
  }

  @Test
  void requestsThroughTheListenerReachEveryTaskAndEachTaskIsAHealthyTarget() throws Exception {
    Front front = front("spread");
    createBalanced("spread", web("spread", "v1"), 3, front.targetGroupArn(), GRACE_SECONDS);

    awaitSteady("spread");
    List<Task> tasks = liveTasks("spread");
    assertThat(tasks)
        .hasSize(3)
        .allSatisfy(task -> assertThat(task.lastStatus()).isEqualTo("RUNNING"));
    // A task counts for the steady state only once the target group says it is healthy.
    assertThat(targets(front.targetGroupArn()))
        .containsExactlyInAnyOrderElementsOf(healthyTargetsOf(tasks));

    Set<String> hostnames =
        tasks.stream().map(LoadBalancedServicesTest::hostname).collect(Collectors.toSet());
    Set<String> answered = new LinkedHashSet<>();
    await("every task answered through the listener")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Answer answer = get(front);
              assertThat(answer.version()).isEqualTo("v1");
              assertThat(hostnames).contains(answer.hostname());
              answered.add(answer.hostname());
              return answered.equals(hostnames);
            });

    ecs.deleteService(r -> r.cluster(cluster).service("spread").force(true));
  }

  @Test
  void stopTaskOnABalancedTaskDeregistersItBeforeStoppingIt() throws Exception {
    Front front = front("stopped");
    String group = front.targetGroupArn();
    createBalanced("stopped", web("stopped", "v1"), 1, group, GRACE_SECONDS);
    awaitSteady("stopped");
    Task task = liveTasks("stopped").get(0);
    int port = hostPort(task);
    assertThat(get(front).hostname()).isEqualTo(hostname(task));

    List<String> statuses = Collections.synchronizedList(new ArrayList<>());
    try (Poller watch =
        new Poller(
            Duration.ofMillis(50),
            () -> {
              String status = berth.describe(task.taskArn()).lastStatus();
              if (statuses.isEmpty() || !statuses.getLast().equals(status)) {
                statuses.add(status);
              }
            })) {
      ecs.stopTask(r -> r.cluster(cluster).task(task.taskArn()).reason("by hand"));
      Task stopped = berth.awaitStatus(task.taskArn(), "STOPPED");
      assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
      assertThat(stopped.stoppedReason()).isEqualTo("by hand");
      // Its target left the group before its container was stopped (ELB may still list it as
      // draining until the deregistration delay is over).
      assertThat(targets(group))
          .noneMatch(target -> target.port() == port && !"draining".equals(target.state()));
      await("the watcher saw STOPPED").atMost(PATIENCE).until(() -> statuses.contains("STOPPED"));
    }
    // The watcher's first look may come after StopTask answered: DEACTIVATING, then STOPPED.
    assertThat(statuses).containsSubsequence("DEACTIVATING", "STOPPED");
    assertThat(statuses).doesNotContain("PENDING", "ACTIVATING");

    awaitSteady("stopped");
    Task replacement = liveTasks("stopped").get(0);
    assertThat(replacement.taskArn()).isNotEqualTo(task.taskArn());
    // The rollout stays COMPLETED through a replacement, so the waiter is stable as soon as the
    // replacement runs; its target turns healthy a health check later.
    await("the replacement's target healthy")
        .atMost(PATIENCE)
        .until(
            () -> targets(group),
            list -> list.contains(new Target(ec2InstanceId, hostPort(replacement), "healthy")));
    assertThat(get(front).hostname()).isEqualTo(hostname(replacement));
    ecs.deleteService(r -> r.cluster(cluster).service("stopped").force(true));
  }

  @Test
  void aTaskFailingItsHealthCheckIsTakenOutOfRotationAndReplaced() throws Exception {
    Front front = front("sick");
    String group = front.targetGroupArn();
    // ECS ignores failing health checks for the grace period after a task starts: long enough
    // here that the target is seen unhealthy before the scheduler replaces its task.
    createBalanced("sick", web("sick", "v1"), 2, group, 20);
    List<Task> tasks =
        await("two RUNNING tasks")
            .atMost(PATIENCE)
            .until(
                () -> liveTasks("sick"),
                live ->
                    live.size() == 2
                        && live.stream().allMatch(t -> "RUNNING".equals(t.lastStatus())));
    Task victim = tasks.get(0);
    Task survivor = tasks.get(1);
    int victimPort = hostPort(victim);
    await("both targets healthy")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> targets(group),
            now -> now.size() == 2 && now.containsAll(healthyTargetsOf(tasks)));

    Set<String> victimStates = ConcurrentHashMap.newKeySet();
    try (Poller watch =
        new Poller(
            Duration.ofMillis(50),
            () ->
                targets(group).stream()
                    .filter(t -> t.port() == victimPort)
                    .forEach(t -> victimStates.add(t.state())))) {
      exec(victim, "rm", "/www/health");
      await("the failing task's target unhealthy")
          .atMost(PATIENCE)
          .until(() -> victimStates.contains("unhealthy"));
    }

    // Out of rotation: every request is answered, and none by the failing task.
    for (int i = 0; i < 10; i++) {
      assertThat(get(front).hostname()).isNotEqualTo(hostname(victim));
    }
    Task stopped = berth.awaitStatus(victim.taskArn(), "STOPPED");
    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
    assertThat(stopped.stoppedReason())
        .startsWith("Task failed ELB health checks in (target-group ");
    awaitSteady("sick");
    List<Task> now = liveTasks("sick");
    assertThat(now)
        .hasSize(2)
        .extracting(Task::taskArn)
        .contains(survivor.taskArn())
        .doesNotContain(victim.taskArn());
    await("the replacement healthy and the failing task's target gone")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> targets(group),
            targets ->
                targets.size() == 2 && targets.containsAll(healthyTargetsOf(liveTasks("sick"))));

    ecs.deleteService(r -> r.cluster(cluster).service("sick").force(true));
  }

  @Test
  void aRollingDeploymentUnderLoadFailsNoRequestAndDrainsOldTasksBeforeStoppingThem()
      throws Exception {
    Front front = front("rolling");
    String v1 = web("rolling", "v1");
    createBalanced("rolling", v1, 2, front.targetGroupArn(), GRACE_SECONDS);
    awaitSteady("rolling");
    List<String> oldTasks = liveTasks("rolling").stream().map(Task::taskArn).toList();
    assertThat(oldTasks).hasSize(2);
    String v2 = web("rolling", "v2");

    Queue<String> failures = new ConcurrentLinkedQueue<>();
    List<String> versions = Collections.synchronizedList(new ArrayList<>());
    // The statuses each old task was seen in, in the order they were seen.
    Map<String, List<String>> statuses = new ConcurrentHashMap<>();
    try (Poller load =
            new Poller(
                Duration.ofMillis(50),
                () -> {
                  try {
                    HttpResponse<String> response = Http.send(front.port(), "/");
                    if (response.statusCode() == 200) {
                      versions.add(Answer.of(response.body()).version());
                    } else {
                      failures.add(response.statusCode() + " " + response.body());
                    }
                  } catch (IOException | RuntimeException e) {
                    failures.add(e.toString());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        Poller watch =
            new Poller(
                Duration.ofMillis(50),
                () -> {
                  for (Task task : describeTasks(oldTasks)) {
                    List<String> seen =
                        statuses.computeIfAbsent(task.taskArn(), arn -> new ArrayList<>());
                    if (seen.isEmpty() || !seen.getLast().equals(task.lastStatus())) {
                      seen.add(task.lastStatus());
                    }
                  }
                })) {
      await("answers from v1").atMost(PATIENCE).until(() -> versions.size() >= 10);

      ecs.updateService(r -> r.cluster(cluster).service("rolling").taskDefinition(v2));
      Service rolled = awaitSteady("rolling");
      assertThat(rolled.taskDefinition()).isEqualTo(v2);
      await("the old tasks stopped")
          .atMost(PATIENCE)
          .until(
              () -> describeTasks(oldTasks),
              tasks -> tasks.stream().allMatch(t -> "STOPPED".equals(t.lastStatus())));
      assertThat(liveTasks("rolling"))
          .hasSize(2)
          .allSatisfy(task -> assertThat(task.taskDefinitionArn()).isEqualTo(v2));
      int answered = versions.size();
      await("answers after the rollout")
          .atMost(PATIENCE)
          .until(() -> versions.size() >= answered + 10);
    }

    assertThat(failures).as("requests that failed during the rollout").isEmpty();
    assertThat(versions).contains("v1", "v2");
    List<String> last = List.copyOf(versions.subList(versions.size() - 10, versions.size()));
    assertThat(last).containsOnly("v2");
    // Each old task was deregistered and drained before its containers were stopped: at least one
    // was caught DEACTIVATING, before it STOPPED.
    assertThat(statuses.values())
        .as("statuses of the old tasks as seen")
        .anySatisfy(
            seen ->
                assertThat(seen)
                    .containsSubsequence("DEACTIVATING", "STOPPED")
                    .doesNotContainSequence("STOPPED", "DEACTIVATING"));
    ecs.deleteService(r -> r.cluster(cluster).service("rolling").force(true));
  }

  @Test
  void dnsAndCloudMapFollowTheServicesRunningTasks() throws Exception {
    String namespaceId = privateNamespace(NAMESPACE);
    var registry =
        cloudMap
            .createService(
                r ->
                    r.name("web")
                        .namespaceId(namespaceId)
                        .dnsConfig(
                            d ->
                                d.routingPolicy(RoutingPolicy.MULTIVALUE)
                                    .dnsRecords(
                                        DnsRecord.builder().type(RecordType.A).ttl(5L).build(),
                                        DnsRecord.builder().type(RecordType.SRV).ttl(5L).build())))
            .service();
    String family = "named";
    ecs.createService(
        r ->
            r.cluster(cluster)
                .serviceName("named")
                .taskDefinition(web(family, "v1"))
                .desiredCount(2)
                .serviceRegistries(
                    s ->
                        s.registryArn(registry.arn())
                            .containerName("web")
                            .containerPort(WEB_PORT)));
    awaitSteady("named");
    List<Task> tasks = liveTasks("named");
    assertThat(tasks).hasSize(2);
    String name = "web." + NAMESPACE + ".";

    await("SRV answers for both tasks")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> srvPorts(name), ports -> ports.equals(sortedHostPorts(tasks)));
    assertThat(srv(name))
        .extracting(record -> record.getTarget().toString(), SRVRecord::getPort)
        .containsExactlyInAnyOrderElementsOf(
            tasks.stream().map(t -> tuple(taskId(t) + "." + name, hostPort(t))).toList());
    assertThat(dns(name, Type.A))
        .isNotEmpty()
        .allSatisfy(
            record ->
                assertThat(((ARecord) record).getAddress().getHostAddress())
                    .isEqualTo("127.0.0.1"));
    Map<String, Map<String, String>> instances = instances(registry.id());
    assertThat(instances.keySet())
        .containsExactlyInAnyOrderElementsOf(
            tasks.stream().map(LoadBalancedServicesTest::taskId).toList());
    for (Task task : tasks) {
      assertThat(instances.get(taskId(task)))
          .containsEntry("AWS_INSTANCE_IPV4", "127.0.0.1")
          .containsEntry("AWS_INSTANCE_PORT", Integer.toString(hostPort(task)))
          .containsEntry("ECS_CLUSTER_NAME", cluster)
          .containsEntry("ECS_SERVICE_NAME", "named")
          .containsEntry("ECS_TASK_DEFINITION_FAMILY", cluster + "-" + family);
    }
    assertThat(
            cloudMap
                .discoverInstances(r -> r.namespaceName(NAMESPACE).serviceName("web"))
                .instances())
        .extracting(HttpInstanceSummary::instanceId)
        .containsExactlyInAnyOrderElementsOf(instances.keySet());

    ecs.updateService(r -> r.cluster(cluster).service("named").desiredCount(1));
    Task gone =
        await("one task stopped")
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    describeTasks(tasks.stream().map(Task::taskArn).toList()).stream()
                        .filter(t -> "STOPPED".equals(t.lastStatus()))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    Task kept =
        tasks.stream().filter(t -> !t.taskArn().equals(gone.taskArn())).findFirst().orElseThrow();
    // The task left Cloud Map before it stopped: once STOPPED, nothing names it any more.
    assertThat(instances(registry.id()).keySet()).containsExactly(taskId(kept));
    assertThat(srvPorts(name)).containsExactly(hostPort(kept));
    awaitSteady("named");
    assertThat(liveTasks("named")).extracting(Task::taskArn).containsExactly(kept.taskArn());

    ecs.deleteService(r -> r.cluster(cluster).service("named").force(true));
    ecs.waiter().waitUntilServicesInactive(r -> r.cluster(cluster).services("named"), QUICK);
    await("every instance deregistered")
        .atMost(PATIENCE)
        .until(() -> instances(registry.id()), Map::isEmpty);
    assertThat(srv(name)).isEmpty();
    assertThat(dns(name, Type.A)).isEmpty();
  }

  @Test
  void createServiceRefusesTargetGroupsContainersAndRegistriesItCannotUse() {
    String taskDefinition = web("refused", "v1");
    String orphan = targetGroup("orphan");
    assertThatThrownBy(
            () ->
                ecs.createService(
                    r ->
                        r.cluster(cluster)
                            .serviceName("orphaned")
                            .taskDefinition(taskDefinition)
                            .desiredCount(1)
                            .loadBalancers(
                                l ->
                                    l.targetGroupArn(orphan)
                                        .containerName("web")
                                        .containerPort(WEB_PORT))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining(
            "The target group with targetGroupArn "
                + orphan
                + " does not have an associated load balancer.");

    Front front = front("refused");
    assertThatThrownBy(
            () ->
                ecs.createService(
                    r ->
                        r.cluster(cluster)
                            .serviceName("misnamed")
                            .taskDefinition(taskDefinition)
                            .desiredCount(1)
                            .loadBalancers(
                                l ->
                                    l.targetGroupArn(front.targetGroupArn())
                                        .containerName("nginx")
                                        .containerPort(WEB_PORT))))
        .isInstanceOf(InvalidParameterException.class);

    String missingRegistry =
        "arn:aws:servicediscovery:"
            + LocalBerth.REGION
            + ":000000000000:service/srv-0123456789abcdef";
    assertThatThrownBy(
            () ->
                ecs.createService(
                    r ->
                        r.cluster(cluster)
                            .serviceName("unregistered")
                            .taskDefinition(taskDefinition)
                            .desiredCount(1)
                            .serviceRegistries(
                                s ->
                                    s.registryArn(missingRegistry)
                                        .containerName("web")
                                        .containerPort(WEB_PORT))))
        .isInstanceOfAny(InvalidParameterException.class, ResourceNotFoundException.class);

    assertThat(
            ecs.describeServices(
                    r -> r.cluster(cluster).services("orphaned", "misnamed", "unregistered"))
                .services())
        .isEmpty();
    assertThat(targets(front.targetGroupArn())).isEmpty();
  }

  /** Runs a poll at a fixed delay on a thread of its own until closed. */
  private static final class Poller implements AutoCloseable {
    private final ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    Poller(Duration delay, Runnable poll) {
      executor.scheduleWithFixedDelay(
          () -> {
            try {
              poll.run();
            } catch (RuntimeException e) {
              // A poll that failed (the server busy, say) is simply made again at the next turn.
            }
          },
          0,
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      executor.shutdown();
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    }
  }
}
