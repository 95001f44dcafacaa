package dev.berth.server.ecs.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import java.util.List;

/** Clusters and task definition revisions as the ECS operations would build them, for tests. */
final class ExampleEntities {
  static final String ACCOUNT = "000000000000";

  private ExampleEntities() {}

  /** Returns an ACTIVE cluster of the region with a configuration, a setting and a tag. */
  static Cluster cluster(String region, String name) {
    ObjectNode configuration = Json.object();
    configuration.putObject("executeCommandConfiguration").put("logging", "DEFAULT");
    ObjectNode setting = Json.object().put("name", "containerInsights").put("value", "disabled");
    return new Cluster(
        Arn.ecs(region, ACCOUNT, "cluster/" + name).toString(),
        name,
        Cluster.ACTIVE,
        1_700_000_000_000L,
        configuration,
        Json.array().add(setting),
        null,
        List.of(),
        null,
        List.of(new Tag("team", "blue")));
  }

  /** Returns a revision of a family in the region with the status given. */
  static TaskDefinition taskDefinition(String region, String family, int revision, String status) {
    ObjectNode body = Json.object().put("family", family);
    body.putArray("containerDefinitions")
        .addObject()
        .put("name", "web")
        .put("image", "nginx")
        .put("memory", 128);
    Long deregisteredAt = TaskDefinition.ACTIVE.equals(status) ? null : 1_700_000_100_000L;
    return new TaskDefinition(
        Arn.ecs(region, ACCOUNT, "task-definition/" + family + ":" + revision).toString(),
        family,
        revision,
        status,
        body,
        List.of(),
        1_700_000_000_000L + revision,
        "arn:aws:iam::" + ACCOUNT + ":root",
        deregisteredAt,
        null);
  }
}
