package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * An agent that loses its server: the server stops and a new one starts over the same data
 * directory on the same port. The agent reaches the server through a gate, so the test can hold it
 * off long enough to see the new server count it disconnected before it reconnects.
 */
class ServerRestartTest {
  private static LoopbackGate gate;
  private static LocalBerth berth;

  @BeforeAll
  static void start() {
    gate = new LoopbackGate();
    berth = LocalBerth.start(gate::relayTo);
  }

  @AfterAll
  static void stop() {
    try {
      if (berth != null) {
        berth.close();
      }
    } finally {
      gate.close();
    }
  }

  @Test
  void agentReconnectsToARestartedServerAndItsTaskRunsOn() throws Exception {
    String web =
        berth.register(
            "web",
            berth
                .container("web")
                .portMappings(Http.dynamicHostPort(8080))
                .command(
                    Shell.serve("/www", "mkdir -p /www && echo still here > /www/index.html")));
    Task before = berth.runAndAwaitRunning(web);
    String runtimeId = before.containers().get(0).runtimeId();
    int port = Http.hostPort(before, "web", 8080);

    berth.stopServer();
    await("the agent notices").atMost(PATIENCE).until(() -> !berth.agent().isConnected());
    gate.shut();
    berth.startServer();

    assertThat(berth.instance().agentConnected()).isFalse();
    assertThat(berth.describe(before.taskArn()).lastStatus()).isEqualTo("RUNNING");

    gate.open();
    berth.awaitAgentConnected(true);

    Task after = berth.describe(before.taskArn());
    assertThat(after.lastStatus()).isEqualTo("RUNNING");
    assertThat(after.containers().get(0).runtimeId()).isEqualTo(runtimeId);
    assertThat(Http.get(port, "/")).isEqualTo("still here\n");

    // The reconnected channel carries the new server's orders.
    berth.ecs().stopTask(r -> r.cluster(berth.cluster()).task(before.taskArn()));
    Task stopped = berth.awaitStatus(before.taskArn(), "STOPPED");
    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    assertThat(stopped.containers().get(0).exitCode()).isZero();
  }
}
