package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.PortBinding;
import dev.berth.agent.runtime.PortBinding.Protocol;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RuntimeFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake container engine does what Docker does where the task engine's tests rely on it. */
class FakeRuntimeTest {
  private static final PortBinding HTTP = new PortBinding(80, 8080, Protocol.TCP, "127.0.0.1");

  private final FakeRuntime runtime = new FakeRuntime();

  @Test
  void containerPublishesItsPortsOnlyWhileItRuns() {
    String id = runtime.place("c", "task-1", "web", ContainerState.CREATED, HTTP);
    assertThat(runtime.inspect(id).ports()).isEmpty();

    runtime.start(id);
    assertThat(runtime.inspect(id).ports()).containsExactly(HTTP);
    assertThat(runtime.list(Map.of()).get(0).ports()).containsExactly(HTTP);

    runtime.stop(id, Duration.ofSeconds(3));
    assertThat(runtime.inspect(id).ports()).isEmpty();
    assertThat(runtime.inspect(id).state()).isEqualTo(ContainerState.EXITED);
    assertThat(runtime.inspect(id).exitCode()).isEqualTo(FakeRuntime.SIGTERM_EXIT);
  }

  @Test
  void stoppingAnExitedOrMissingContainerChangesNothingAndIsRecorded() {
    String id = runtime.place("c", "task-1", "web", ContainerState.RUNNING);
    runtime.exit("web", 4);

    runtime.stop(id, Duration.ofSeconds(30));
    runtime.remove(id);
    runtime.stop(id, Duration.ofSeconds(30));
    runtime.remove(id);

    assertThat(runtime.inspect(id)).isNull();
    assertThat(runtime.calls("task-1"))
        .containsExactly("stop web 30s", "remove web", "stop web 30s", "remove web");
  }

  @Test
  void testControlsExitHealthAndVanishing() {
    String id = runtime.place("c", "task-1", "db", ContainerState.RUNNING);

    runtime.turnHealthy("db");
    assertThat(runtime.inspect(id).health()).isEqualTo(HealthStatus.HEALTHY);
    runtime.turnUnhealthy("db");
    assertThat(runtime.inspect(id).health()).isEqualTo(HealthStatus.UNHEALTHY);
    runtime.exit("db", 7);
    assertThat(runtime.inspect(id).exitCode()).isEqualTo(7);
    assertThatThrownBy(() -> runtime.vanish("db")).isInstanceOf(AssertionError.class);

    String other = runtime.place("c", "task-2", "db", ContainerState.RUNNING);
    runtime.vanish("db");
    assertThat(runtime.inspect(other)).isNull();
    assertThat(runtime.calls()).isEmpty();
  }

  @Test
  void listFiltersByLabelValueOrPresence() {
    runtime.place("c", "task-1", "web", ContainerState.RUNNING);
    runtime.place("other", "task-2", "web", ContainerState.EXITED);

    assertThat(runtime.list(Map.of(EcsLabels.CLUSTER, "c")))
        .extracting(ContainerSummary::state)
        .containsExactly(ContainerState.RUNNING);
    Map<String, String> present = new HashMap<>();
    present.put(EcsLabels.TASK_ARN, null);
    assertThat(runtime.list(present)).hasSize(2);
    assertThat(runtime.list(Map.of(EcsLabels.TASK_ARN, ""))).hasSize(2);
  }

  @Test
  void pullOfAnImageTheFakeWasToldToRefuseFailsWithCannotPullContainerError() {
    runtime.failPullOf("nope:1");

    assertThat(runtime.ensureImage("fine:1", PullBehavior.DEFAULT, null)).isTrue();
    assertThatThrownBy(() -> runtime.ensureImage("nope:1", PullBehavior.DEFAULT, null))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith("CannotPullContainerError: ");
    assertThat(runtime.calls()).containsExactly("pull fine:1", "pull nope:1");
  }
}
