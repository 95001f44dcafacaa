package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The load balancer in front of real containers: two busybox {@code httpd} containers publishing
 * port 80 on 127.0.0.1, registered by IP and host port as ECS services will register tasks.
 */
class ElbDockerTest {
  // A tag of this run's own: another suite on the same engine removing its image spares this one.
  private static final String IMAGE =
      "berth-test/busybox-httpd:" + java.util.UUID.randomUUID().toString().substring(0, 12);
  private static final List<String> containers = new ArrayList<>();
  private static boolean imported;
  private static ElbServer server;

  @BeforeAll
  static void start() throws Exception {
    if (run("docker", "image", "inspect", IMAGE).exit != 0) {
      importImage();
      imported = true;
    }
    server = ElbServer.start("elb-docker");
  }

  @AfterAll
  static void stop() throws Exception {
    for (String id : containers) {
      run("docker", "rm", "-f", id);
    }
    if (imported) {
      run("docker", "rmi", IMAGE);
    }
    if (server != null) {
      server.close();
    }
  }

  private record Result(int exit, String out) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new Result(process.waitFor(), out);
  }

  /** Imports the host's static busybox as a one-file image; no registry is needed. */
  private static void importImage() throws Exception {
    Path root = Files.createTempDirectory("busybox-root");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
    Path tar = Files.createTempFile("busybox", ".tar");
    Result packed = run("tar", "-C", root.toString(), "-cf", tar.toString(), ".");
    assertThat(packed.exit).as(packed.out).isZero();
    Result importedImage = run("docker", "import", tar.toString(), IMAGE);
    assertThat(importedImage.exit).as(importedImage.out).isZero();
    TestServer.deleteRecursively(root);
    Files.deleteIfExists(tar);
  }

  /** Starts an httpd container answering its name; returns its host port on 127.0.0.1. */
  private static int container(String name) throws Exception {
    String script =
        "/bin/busybox mkdir -p /www && echo "
            + name
            + " > /www/index.html && echo ok > /www/health && exec /bin/busybox httpd -f -p 80 -h /www";
    Result started =
        run(
            "docker",
            "run",
            "-d",
            "--label",
            "berth-test=elb",
            "-p",
            "127.0.0.1::80",
            IMAGE,
            "/bin/busybox",
            "sh",
            "-c",
            script);
    assertThat(started.exit).as(started.out).isZero();
    containers.add(started.out);
    Result port = run("docker", "port", started.out, "80/tcp");
    assertThat(port.exit).as(port.out).isZero();
    String first =
        port.out.lines().filter(line -> line.startsWith("127.0.0.1:")).findFirst().orElseThrow();
    return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
  }

  @Test
  void requestsReachEveryContainer() throws Exception {
    int one = container("one");
    int two = container("two");
    ElasticLoadBalancingV2Client elb = server.elb();
    String lb =
        elb.createLoadBalancer(b -> b.name("docker")).loadBalancers().get(0).loadBalancerArn();
    String group =
        elb.createTargetGroup(
                b ->
                    b.name("docker")
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .targetType(TargetTypeEnum.IP)
                        .healthCheckPath("/health")
                        .healthCheckIntervalSeconds(5)
                        .healthCheckTimeoutSeconds(2))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    elb.registerTargets(
        b ->
            b.targetGroupArn(group)
                .targets(t -> t.id("127.0.0.1").port(one), t -> t.id("127.0.0.1").port(two)));
    int port =
        ElbServer.createListener(
                elb,
                b ->
                    b.loadBalancerArn(lb)
                        .protocol(ProtocolEnum.HTTP)
                        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)))
            .port();

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                elb
                    .describeTargetHealth(b -> b.targetGroupArn(group))
                    .targetHealthDescriptions()
                    .stream()
                    .allMatch(d -> d.targetHealth().stateAsString().equals("healthy")));
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      LbHttp.Answer answer = LbHttp.get(port, "docker.local", "/");
      assertThat(answer.status()).isEqualTo(200);
      bodies.add(answer.body().trim());
    }
    assertThat(bodies).containsExactlyInAnyOrder("one", "two", "one", "two");
  }
}
