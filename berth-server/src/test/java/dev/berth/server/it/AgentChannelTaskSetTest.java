package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.agent.AgentChannel;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * The task sets of the real agent channel: a connection gets the complete set first and then only
 * what changed, a task definition only with the first task of it, and a new connection gets the
 * complete set and every definition again.
 */
class AgentChannelTaskSetTest {
  private static final String CLUSTER = "channel";
  private static final TestServer berth = TestServer.start();
  private static final EcsClient ecs = berth.ecs();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    berth.close();
  }

  @Test
  void aConnectionGetsTheCompleteSetThenItsChangesAndAgainAfterReconnecting() throws Exception {
    ecs.createCluster(r -> r.clusterName(CLUSTER));
    String instance = AgentCalls.registerAgent(ecs, CLUSTER, 1024, 1024).containerInstanceArn();
    ecs.registerTaskDefinition(
        r ->
            r.family("web")
                .containerDefinitions(
                    ContainerDefinition.builder().name("app").image("busybox").memory(64).build()));
    AgentConnection first = connect(instance);
    JsonNode complete = first.next();
    assertThat(complete.path("type").asText()).isEqualTo(AgentChannel.TASKS);
    assertThat(complete.path("tasks")).isEmpty();

    String a = runTask();
    JsonNode placed = first.next();
    assertThat(placed.path("type").asText()).isEqualTo(AgentChannel.TASK_CHANGES);
    assertThat(arns(placed.path("tasks"))).containsExactly(a);
    assertThat(placed.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
    String b = runTask();
    JsonNode another = first.next();
    assertThat(arns(another.path("tasks"))).containsExactly(b);
    assertThat(another.path("tasks").get(0).has("taskDefinition")).isFalse();

    ecs.stopTask(r -> r.cluster(CLUSTER).task(a));
    JsonNode toStop = first.next();
    assertThat(arns(toStop.path("tasks"))).containsExactly(a);
    assertThat(toStop.path("tasks").get(0).path("task").path("desiredStatus").asText())
        .isEqualTo("STOPPED");
    first.send(
        "{\"type\":\"stateChanges\",\"id\":1,\"changes\":[{\"cluster\":\"%s\",\"task\":\"%s\",\"status\":\"STOPPED\"}]}"
            .formatted(CLUSTER, a));
    JsonNode gone = first.next();
    assertThat(gone.path("tasks")).isEmpty();
    assertThat(gone.path("removed")).extracting(JsonNode::asText).containsExactly(a);
    first.socket.abort();

    AgentConnection second = connect(instance);
    JsonNode again = second.next();
    assertThat(again.path("type").asText()).isEqualTo(AgentChannel.TASKS);
    assertThat(arns(again.path("tasks"))).containsExactly(b);
    assertThat(again.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
    second.socket.abort();
  }

  private String runTask() {
    return ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("web")).tasks().get(0).taskArn();
  }

  private static List<String> arns(JsonNode entries) {
    List<String> arns = new ArrayList<>();
    entries.forEach(entry -> arns.add(entry.path("task").path("taskArn").asText()));
    return arns;
  }

  private AgentConnection connect(String instance) throws Exception {
    return AgentConnection.open(http, berth, CLUSTER, instance);
  }
}
