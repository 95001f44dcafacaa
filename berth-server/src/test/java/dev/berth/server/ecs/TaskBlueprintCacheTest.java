package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.TaskDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunTask's blueprints, worked out once for a revision and overrides. */
class TaskBlueprintCacheTest {
  private static final String ARN = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";

  private final TaskBlueprint.Cache cache = new TaskBlueprint.Cache();

  @Test
  void theSameRevisionAndEqualOverridesShareOneBlueprint() {
    TaskDefinition definition = definition(TaskDefinition.ACTIVE);

    TaskBlueprint first = cache.of(definition, overrides(512));
    TaskBlueprint again = cache.of(definition, overrides(512));
    TaskBlueprint other = cache.of(definition, overrides(1024));
    TaskBlueprint none = cache.of(definition, null);

    assertThat(again).isSameAs(first);
    assertThat(first.demand()).isEqualTo(new Resources(128, 512, List.of(80), List.of()));
    assertThat(other.demand().memory()).isEqualTo(1024);
    assertThat(none.demand().memory()).isEqualTo(256);
    assertThat(cache.of(definition, null)).isSameAs(none);
    assertThat(first.constraints()).hasSize(1);
    assertThat(first.requiredAttributes())
        .extracting(attribute -> attribute.name())
        .containsExactly("com.amazonaws.ecs.capability.docker-remote-api.1.18");
  }

  @Test
  void aNewRecordOfTheRevisionGetsABlueprintOfItsOwn() {
    TaskBlueprint before = cache.of(definition(TaskDefinition.ACTIVE), null);
    TaskDefinition deregistered = definition(TaskDefinition.INACTIVE);

    TaskBlueprint after = cache.of(deregistered, null);

    assertThat(after).isNotSameAs(before);
    assertThat(after.definition()).isSameAs(deregistered);
  }

  @Test
  void refusedOverridesAreRefusedEveryTimeAndNotKept() {
    TaskDefinition definition = definition(TaskDefinition.ACTIVE);
    ObjectNode refused = Json.object();
    refused.putArray("containerOverrides").addObject().put("name", "nope");

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> cache.of(definition, refused))
          .isInstanceOf(AwsException.class)
          .hasMessageContaining("nope");
    }
  }

  private static ObjectNode overrides(int memory) {
    ObjectNode overrides = Json.object();
    overrides.putArray("containerOverrides").addObject().put("name", "web").put("memory", memory);
    return overrides;
  }

  private static TaskDefinition definition(String status) {
    ObjectNode body = Json.object().put("family", "web").put("networkMode", "bridge");
    ObjectNode container =
        body.putArray("containerDefinitions")
            .addObject()
            .put("name", "web")
            .put("image", "nginx")
            .put("cpu", 128)
            .put("memory", 256);
    container.putArray("portMappings").addObject().put("containerPort", 80).put("hostPort", 80);
    body.putArray("placementConstraints")
        .addObject()
        .put("type", "memberOf")
        .put("expression", "attribute:ecs.os-type == linux");
    return new TaskDefinition(
        ARN,
        "web",
        1,
        status,
        body,
        List.of(),
        1_700_000_000_000L,
        "arn:aws:iam::000000000000:root",
        TaskDefinition.ACTIVE.equals(status) ? null : 1_700_000_100_000L,
        null);
  }
}
