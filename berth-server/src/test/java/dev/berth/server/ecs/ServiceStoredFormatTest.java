package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.controller.ServiceAttachments;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.store.Mutation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Services stored before their settings were typed records, whose ECS members were kept as JSON
 * verbatim, load from an existing data directory and answer as they did.
 */
class ServiceStoredFormatTest {
  private static final String SERVICE_ARN =
      "arn:aws:ecs:us-east-1:000000000000:service/default/web";
  private static final String TARGET_GROUP =
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";

  /** A service row exactly as the earlier version wrote it, nulls and member order included. */
  private static final String STORED =
      """
      {"arn":"%s","name":"web","clusterArn":"arn:aws:ecs:us-east-1:000000000000:cluster/default",
       "status":"ACTIVE",
       "settings":{"desiredCount":2,
        "taskDefinition":"arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
        "launchType":"EC2","capacityProviderStrategy":null,"schedulingStrategy":"REPLICA",
        "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true},
          "maximumPercent":150,"minimumHealthyPercent":50,"strategy":"ROLLING"},
        "placementConstraints":[{"type":"distinctInstance"}],
        "placementStrategy":[{"type":"spread","field":"attribute:ecs.availability-zone"}],
        "loadBalancers":[{"targetGroupArn":"%s","containerName":"app","containerPort":80}],
        "serviceRegistries":[],"healthCheckGracePeriodSeconds":30,
        "deploymentController":{"type":"ECS"},"networkConfiguration":null,
        "propagateTags":"SERVICE","enableECSManagedTags":true,"enableExecuteCommand":false,
        "roleArn":null},
       "tags":[{"key":"team","value":"web"}],
       "deployments":[{"id":"ecs-svc/1234567890123456789",
        "arn":"arn:aws:ecs:us-east-1:000000000000:service-deployment/default/web/abc",
        "revisionArn":"arn:aws:ecs:us-east-1:000000000000:service-revision/default/web/1",
        "status":"PRIMARY",
        "taskDefinition":"arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
        "rolloutState":"COMPLETED","rolloutStateReason":"ECS deployment completed.",
        "deploymentStatus":"SUCCESSFUL","statusReason":null,"failedTasks":0,
        "createdAt":1767225600000,"updatedAt":1767225600000,"finishedAt":1767225600000,
        "rollback":null,"sourceRevisionArns":[],
        "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true},
          "maximumPercent":150,"minimumHealthyPercent":50,"strategy":"ROLLING"}}],
       "events":[],"steady":true,"createdAt":1767225600000,
       "createdBy":"arn:aws:iam::000000000000:root","clientToken":null,"version":3}
      """
          .formatted(SERVICE_ARN, TARGET_GROUP);

  /** The same service as a still earlier version wrote it: no roleArn, JSON null lists. */
  private static String older() {
    com.fasterxml.jackson.databind.node.ObjectNode service =
        (com.fasterxml.jackson.databind.node.ObjectNode) json(STORED);
    com.fasterxml.jackson.databind.node.ObjectNode settings =
        (com.fasterxml.jackson.databind.node.ObjectNode) service.get("settings");
    settings.remove("roleArn");
    settings.putNull("serviceRegistries");
    return service.toString();
  }

  @Test
  void aServiceStoredWithJsonMembersLoadsAndDescribesAsBefore() {
    EcsHarness restarted = restartedOver(STORED);

    JsonNode service = describe(restarted);

    assertThat(service.path("loadBalancers"))
        .isEqualTo(
            json(
                "[{\"targetGroupArn\":\"%s\",\"containerName\":\"app\",\"containerPort\":80}]"
                    .formatted(TARGET_GROUP)));
    assertThat(service.path("deploymentConfiguration"))
        .isEqualTo(
            json(
                """
                {"deploymentCircuitBreaker":{"enable":true,"rollback":true},
                 "maximumPercent":150,"minimumHealthyPercent":50,"strategy":"ROLLING"}
                """));
    assertThat(service.path("placementConstraints"))
        .isEqualTo(json("[{\"type\":\"distinctInstance\"}]"));
    assertThat(service.path("placementStrategy"))
        .isEqualTo(json("[{\"type\":\"spread\",\"field\":\"attribute:ecs.availability-zone\"}]"));
    assertThat(service.path("serviceRegistries")).isEqualTo(json("[]"));
    assertThat(service.path("deploymentController")).isEqualTo(json("{\"type\":\"ECS\"}"));
    assertThat(service.has("networkConfiguration")).isFalse();
    assertThat(service.has("capacityProviderStrategy")).isFalse();
    assertThat(service.has("roleArn")).isFalse();
    assertThat(service.path("healthCheckGracePeriodSeconds").intValue()).isEqualTo(30);
    assertThat(service.path("desiredCount").intValue()).isEqualTo(2);
    assertThat(service.path("propagateTags").asText()).isEqualTo("SERVICE");
    assertThat(service.path("enableECSManagedTags").booleanValue()).isTrue();
    assertThat(service.path("deployments").get(0).path("rolloutState").asText())
        .isEqualTo("COMPLETED");
  }

  @Test
  void aServiceStoredByAnOlderVersionWithoutRoleAndWithNullListsLoads() {
    String older = older();
    assertThat(older).doesNotContain("roleArn").contains("\"serviceRegistries\":null");
    EcsHarness restarted = restartedOver(older);

    JsonNode service = describe(restarted);

    assertThat(service.path("serviceRegistries")).isEqualTo(json("[]"));
    assertThat(service.has("roleArn")).isFalse();
    assertThat(service.path("loadBalancers").get(0).path("containerPort").intValue()).isEqualTo(80);
  }

  @Test
  void aStoredServiceTakesUpdatesAndIsStoredAgainInTheSameShape() {
    EcsHarness restarted = restartedOver(STORED);

    restarted.call(
        "UpdateService",
        "{\"cluster\":\"default\",\"service\":\"web\",\"desiredCount\":3,"
            + "\"deploymentConfiguration\":{\"minimumHealthyPercent\":100}}");

    JsonNode stored =
        json(restarted.store.get(EcsRecords.SERVICE.name(), SERVICE_ARN).body()).path("settings");
    assertThat(stored.path("desiredCount").intValue()).isEqualTo(3);
    assertThat(stored.path("loadBalancers"))
        .isEqualTo(
            json(
                "[{\"targetGroupArn\":\"%s\",\"containerName\":\"app\",\"containerPort\":80}]"
                    .formatted(TARGET_GROUP)));
    assertThat(stored.path("deploymentConfiguration"))
        .isEqualTo(
            json(
                """
                {"deploymentCircuitBreaker":{"enable":true,"rollback":true},
                 "maximumPercent":150,"minimumHealthyPercent":100,"strategy":"ROLLING"}
                """));
    assertThat(stored.path("placementConstraints"))
        .isEqualTo(json("[{\"type\":\"distinctInstance\"}]"));
    JsonNode again = describe(new EcsHarness(restarted.store, ServiceAttachments.NONE));
    assertThat(again.path("desiredCount").intValue()).isEqualTo(3);
    assertThat(again.path("deploymentConfiguration").path("minimumHealthyPercent").intValue())
        .isEqualTo(100);
  }

  private static EcsHarness restartedOver(String storedService) {
    EcsHarness before = new EcsHarness();
    before.taskDefinition("web", 128, 128, 8080);
    before
        .store
        .commit(
            List.of(
                Mutation.put(
                    EcsRecords.SERVICE.name(), SERVICE_ARN, json(storedService).toString())))
        .join();
    return new EcsHarness(before.store, ServiceAttachments.NONE);
  }

  private static JsonNode describe(EcsHarness harness) {
    JsonNode answer =
        harness.call("DescribeServices", "{\"cluster\":\"default\",\"services\":[\"web\"]}");
    assertThat(answer.path("failures")).isEmpty();
    return answer.path("services").get(0);
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
