package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.DockerFixture.TestTask;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test image fixture itself, imported under a name of its own so it is really built. */
class BusyboxImageTest {
  private static DockerRuntime runtime;
  private final String cluster = DockerFixture.uniqueCluster();
  private final String tag = "selfcheck-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void connect() {
    runtime = DockerRuntime.connect();
  }

  @AfterEach
  void removeContainersAndImage() {
    DockerFixture.removeAll(runtime, cluster);
    runtime.docker().removeImageCmd(BusyboxImage.REPOSITORY + ":" + tag).withForce(true).exec();
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  @Test
  void importedImageRunsAppletsByTheirOwnNames() {
    String image = BusyboxImage.ensure(runtime.docker(), BusyboxImage.REPOSITORY, tag);
    assertThat(BusyboxImage.ensure(runtime.docker(), BusyboxImage.REPOSITORY, tag))
        .isEqualTo(image);

    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "selfcheck", "revision": 1, "containerDefinitions": [
                  {"name": "applet", "image": "%s", "user": "nobody",
                   "entryPoint": ["ls", "/bin/httpd", "/bin/sleep", "/tmp", "/etc/passwd"]}
                ]}
                """
                    .formatted(image)));
    await().atMost(Duration.ofSeconds(10)).until(() -> task.status("applet").state().isStopped());

    assertThat(task.status("applet").exitCode()).isZero();
  }
}
