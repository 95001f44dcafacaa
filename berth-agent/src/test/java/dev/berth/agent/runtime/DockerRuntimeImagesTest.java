package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API version negotiation and image pull behaviour against the local engine, which has no registry
 * to pull from.
 */
class DockerRuntimeImagesTest {
  @RegisterExtension static final RealEngine engine = new RealEngine();

  private final DockerRuntime runtime = engine.runtime();

  @Test
  void negotiatesTheNewestApiVersionTheDaemonSpeaks() {
    String daemonApi = runtime.docker().versionCmd().exec().getApiVersion();
    RuntimeInfo info = runtime.info();

    // This machine's Docker 20.10 speaks 1.41 at most, older than docker-java's newest.
    assertThat(daemonApi).isEqualTo("1.41");
    assertThat(info.apiVersion()).isEqualTo("1.41");
    assertThat(info.serverVersion()).startsWith("20.10");
    assertThat(info.cpus()).isPositive();
    assertThat(info.memoryMiB()).isPositive();
    assertThat(info.osType()).isEqualTo("linux");
    assertThat(info.architecture()).isNotBlank();
  }

  @Test
  void defaultBehaviourUsesTheCachedImageWhenThePullFails() {
    assertThat(runtime.ensureImage(BusyboxImage.NAME, PullBehavior.DEFAULT, null)).isFalse();
  }

  @Test
  void onceAndPreferCachedDoNotPullAPresentImage() {
    assertThat(runtime.ensureImage(BusyboxImage.NAME, PullBehavior.ONCE, null)).isFalse();
    assertThat(runtime.ensureImage(BusyboxImage.NAME, PullBehavior.PREFER_CACHED, null)).isFalse();
  }

  @Test
  void preferCachedMakesNoPullRequestForAPresentImageWhereDefaultDoes() throws Exception {
    try (DockerApiRecorder recorder = new DockerApiRecorder();
        DockerRuntime recorded = DockerRuntime.connect(recorder.dockerHost())) {
      recorder.clear();

      assertThat(recorded.ensureImage(BusyboxImage.NAME, PullBehavior.PREFER_CACHED, null))
          .isFalse();

      assertThat(recorder.requestsTo("/images/create")).as("%s", recorder.requests()).isEmpty();
      assertThat(recorder.requests())
          .singleElement()
          .asString()
          .startsWith("GET /v1.41/images/berth-test")
          .endsWith("/json");

      // The recorder does see a pull when one is made: default tries the registry first.
      assertThat(recorded.ensureImage(BusyboxImage.NAME, PullBehavior.DEFAULT, null)).isFalse();

      assertThat(recorder.requestsTo("/images/create"))
          .singleElement()
          .asString()
          .startsWith("POST ")
          .contains("fromImage=berth-test%2Fbusybox");
    }
  }

  @Test
  void alwaysFailsWhenThePullFailsEvenWithACachedImage() {
    assertThatThrownBy(() -> runtime.ensureImage(BusyboxImage.NAME, PullBehavior.ALWAYS, null))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith("CannotPullContainerError: ")
        .extracting(e -> ((RuntimeFailure) e).errorName())
        .isEqualTo(RuntimeFailure.CANNOT_PULL);
  }

  @Test
  void anImageThatIsNeitherCachedNorPullableFailsClearly() {
    String absent = "berth-test/absent-" + UUID.randomUUID().toString().substring(0, 8) + ":1.0";

    for (PullBehavior behavior : PullBehavior.values()) {
      assertThatThrownBy(
              () ->
                  runtime.ensureImage(
                      absent, behavior, new RegistryAuth("user", "secret", "registry.invalid")))
          .as(behavior.name())
          .isInstanceOf(RuntimeFailure.class)
          .hasMessageStartingWith("CannotPullContainerError: ");
    }
  }
}
