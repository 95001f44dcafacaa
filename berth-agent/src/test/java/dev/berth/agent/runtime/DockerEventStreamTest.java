package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerEventStreamTest {
  private static Event event(String action, Map<String, String> attributes) {
    return new Event()
        .withType(EventType.CONTAINER)
        .withAction(action)
        .withEventActor(new EventActor().withId("c0ffee").withAttributes(attributes))
        .withTimenano(1_700_000_000_123_456_789L);
  }

  @Test
  void dieCarriesTheExitCodeAndTheLabels() {
    RuntimeEvent die =
        DockerEventStream.translate(
            event("die", Map.of("exitCode", "137", EcsLabels.CONTAINER_NAME, "web")));

    assertThat(die.type()).isEqualTo(RuntimeEvent.Type.DIE);
    assertThat(die.containerId()).isEqualTo("c0ffee");
    assertThat(die.exitCode()).isEqualTo(137);
    assertThat(die.attributes()).containsEntry(EcsLabels.CONTAINER_NAME, "web");
    assertThat(die.time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L));
  }

  @Test
  void healthStatusCarriesTheEcsHealth() {
    assertThat(DockerEventStream.translate(event("health_status: unhealthy", Map.of())).health())
        .isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(DockerEventStream.translate(event("health_status: healthy", Map.of())).type())
        .isEqualTo(RuntimeEvent.Type.HEALTH_STATUS);
  }

  @Test
  void eventsTheAgentDoesNotFollowAreDropped() {
    assertThat(DockerEventStream.translate(event("exec_start: sh", Map.of()))).isNull();
    assertThat(
            DockerEventStream.translate(
                new Event().withType(EventType.NETWORK).withAction("connect")))
        .isNull();
  }
}
