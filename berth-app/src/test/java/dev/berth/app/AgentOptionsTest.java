package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/** The image pull behaviour each command gives its agent. */
class AgentOptionsTest {
  @Test
  void localModeUsesAnImageAlreadyOnTheHostBeforeAnyRegistry() {
    LocalCommand local = new LocalCommand();
    new CommandLine(local).parseArgs();

    assertThat(pullBehavior(local.agentOptions, LocalCommand.PULL_BEHAVIOR))
        .isEqualTo("prefer-cached");
  }

  @Test
  void theAgentCommandPullsFirstAsEcsDoesUnlessToldOtherwise() {
    AgentCommand agent = new AgentCommand();
    new CommandLine(agent).parseArgs("--cluster", "c", "--endpoint", "http://127.0.0.1:1");
    assertThat(pullBehavior(agent.options, AgentCommand.PULL_BEHAVIOR)).isEqualTo("default");

    AgentCommand cached = new AgentCommand();
    new CommandLine(cached)
        .parseArgs(
            "--cluster",
            "c",
            "--endpoint",
            "http://127.0.0.1:1",
            "--image-pull-behavior",
            "prefer-cached");
    assertThat(pullBehavior(cached.options, AgentCommand.PULL_BEHAVIOR)).isEqualTo("prefer-cached");
  }

  private static String pullBehavior(AgentOptions options, String commandDefault) {
    return options
        .toConfig(
            "c",
            URI.create("http://127.0.0.1:1"),
            "us-east-1",
            AnonymousCredentialsProvider.create(),
            Path.of("/tmp/unused"),
            "127.0.0.1",
            Duration.ofSeconds(10),
            commandDefault)
        .pullBehavior();
  }
}
