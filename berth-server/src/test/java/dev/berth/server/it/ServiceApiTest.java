package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * Services through the AWS SDK for Java v2 against a real Berth server: what CreateService keeps,
 * what it refuses as ECS does, and the task set operations of the EXTERNAL deployment controller.
 */
class ServiceApiTest {
  private static final String AWSVPC_REFUSAL =
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.";
  private static final String NOT_EXTERNAL =
      "Amazon ECS only supports task set management on services configured to use external"
          + " deployment controllers.";

  private static TestServer berth;
  private static EcsClient ecs;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    ecs = berth.ecs();
    register("web", NetworkMode.BRIDGE);
    register("vpc", NetworkMode.AWSVPC);
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  private static void register(String family, NetworkMode mode) {
    ecs.registerTaskDefinition(
        r ->
            r.family(family)
                .networkMode(mode)
                .containerDefinitions(
                    ContainerDefinition.builder().name("app").image("busybox").memory(64).build()));
  }

  private static Service create(String name, Consumer<CreateServiceRequest.Builder> more) {
    return ecs.createService(
            r -> {
              r.cluster("default").serviceName(name).taskDefinition("web").desiredCount(0);
              more.accept(r);
            })
        .service();
  }

  private static Service describe(EcsClient client, String name) {
    return client.describeServices(r -> r.cluster("default").services(name)).services().get(0);
  }

  @Test
  void createServiceKeepsItsRoleAsAnIamRoleArnAcrossARestart() throws Exception {
    Path dir = Files.createTempDirectory("berth-role-");
    try {
      keepRolesThenRestart(dir);
    } finally {
      TestServer.deleteRecursively(dir);
    }
  }

  private static void keepRolesThenRestart(Path dir) {
    TestServer first = TestServer.start(dir);
    try {
      EcsClient client = first.ecs();
      client.registerTaskDefinition(
          r ->
              r.family("web")
                  .containerDefinitions(
                      ContainerDefinition.builder()
                          .name("app")
                          .image("busybox")
                          .memory(64)
                          .build()));
      Service bare =
          client
              .createService(
                  r ->
                      r.serviceName("bare-role")
                          .taskDefinition("web")
                          .desiredCount(0)
                          .role("ecsServiceRole"))
              .service();
      assertThat(bare.roleArn()).isEqualTo("arn:aws:iam::000000000000:role/ecsServiceRole");
      Service pathed =
          client
              .createService(
                  r ->
                      r.serviceName("path-role")
                          .taskDefinition("web")
                          .desiredCount(0)
                          .role("/ecs/web-role"))
              .service();
      assertThat(pathed.roleArn()).isEqualTo("arn:aws:iam::000000000000:role/ecs/web-role");
    } finally {
      first.stop();
    }
    try (TestServer restarted = TestServer.start(dir)) {
      assertThat(describe(restarted.ecs(), "bare-role").roleArn())
          .isEqualTo("arn:aws:iam::000000000000:role/ecsServiceRole");
      assertThat(describe(restarted.ecs(), "path-role").roleArn())
          .isEqualTo("arn:aws:iam::000000000000:role/ecs/web-role");
    }
  }

  @Test
  void aRoleGivenAsAnArnIsKeptAsGivenAndAServiceWithoutOneHasNoRoleArn() {
    String arn = "arn:aws:iam::000000000000:role/service-role/lb-role";
    assertThat(create("arn-role", r -> r.role(arn)).roleArn()).isEqualTo(arn);
    assertThat(describe(ecs, "arn-role").roleArn()).isEqualTo(arn);
    assertThat(create("no-role", r -> {}).roleArn()).isNull();
  }

  @Test
  void awsvpcTaskDefinitionsNeedANetworkConfigurationToRunStartOrServe() {
    assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("default").taskDefinition("vpc")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageStartingWith(AWSVPC_REFUSAL);
    assertThatThrownBy(
            () ->
                ecs.startTask(
                    r ->
                        r.cluster("default")
                            .taskDefinition("vpc")
                            .containerInstances("0123456789abcdef0123456789abcdef")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageStartingWith(AWSVPC_REFUSAL);
    assertThatThrownBy(() -> create("vpc-service", r -> r.taskDefinition("vpc")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageStartingWith(AWSVPC_REFUSAL);
    assertThat(ecs.listServices(r -> r.cluster("default")).serviceArns())
        .noneMatch(arn -> arn.endsWith("/vpc-service"));
    create("to-vpc", r -> {});
    assertThatThrownBy(
            () ->
                ecs.updateService(
                    r -> r.cluster("default").service("to-vpc").taskDefinition("vpc")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageStartingWith(AWSVPC_REFUSAL);
    assertThat(describe(ecs, "to-vpc").taskDefinition()).endsWith(":task-definition/web:1");
  }

  @Test
  void anAwsvpcServiceWithANetworkConfigurationIsCreated() {
    Service service =
        create(
            "vpc-configured",
            r ->
                r.taskDefinition("vpc")
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1"))));
    assertThat(service.networkConfiguration().awsvpcConfiguration().subnets())
        .containsExactly("subnet-1");
  }

  @Test
  void theExternalDeploymentControllerIsRefusedAsUnsupported() {
    assertThatThrownBy(
            () ->
                create(
                    "external",
                    r -> r.deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("EXTERNAL");
  }

  @Test
  void taskSetCallsOnAServiceWithoutTheExternalControllerAreInvalidParameters() {
    create("rolling", r -> {});
    List<Runnable> calls =
        List.of(
            () ->
                ecs.createTaskSet(
                    r -> r.cluster("default").service("rolling").taskDefinition("web")),
            () -> ecs.describeTaskSets(r -> r.cluster("default").service("rolling")),
            () ->
                ecs.updateTaskSet(
                    r ->
                        r.cluster("default")
                            .service("rolling")
                            .taskSet("ecs-svc/1234567890123456789")
                            .scale(s -> s.value(50.0).unit("PERCENT"))),
            () ->
                ecs.deleteTaskSet(
                    r ->
                        r.cluster("default")
                            .service("rolling")
                            .taskSet("ecs-svc/1234567890123456789")),
            () ->
                ecs.updateServicePrimaryTaskSet(
                    r ->
                        r.cluster("default")
                            .service("rolling")
                            .primaryTaskSet("ecs-svc/1234567890123456789")));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageStartingWith(NOT_EXTERNAL);
    }
  }

  @Test
  void taskSetCallsNameAMissingClusterOrServiceFirst() {
    assertThatThrownBy(() -> ecs.describeTaskSets(r -> r.cluster("no-such").service("rolling")))
        .isInstanceOf(ClusterNotFoundException.class);
    assertThatThrownBy(
            () ->
                ecs.createTaskSet(
                    r -> r.cluster("default").service("no-such-service").taskDefinition("web")))
        .isInstanceOf(ServiceNotFoundException.class);
  }
}
