package dev.berth.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which strategies and constraints ECS accepts, and the InvalidParameterException otherwise. */
class PlacementRulesTest {
  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  private static void refused(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidParameterException");
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void hostIsInstanceIdAndBinpackFieldsAreCpuOrMemory() {
    assertThat(PlacementStrategy.of("spread", "host").spreadOnInstance()).isTrue();
    assertThat(PlacementStrategy.of("spread", "attribute:ecs.availability-zone").spreadAttribute())
        .isEqualTo("ecs.availability-zone");
    assertThat(PlacementStrategy.of("binpack", "MEMORY").field()).isEqualTo("memory");
    assertThat(PlacementStrategy.of("random", null).field()).isNull();
  }

  @Test
  void strategiesWithAFieldTheirTypeDoesNotTakeAreRefused() {
    refused(() -> PlacementStrategy.of("binpack", "instanceId"), "binpack");
    refused(() -> PlacementStrategy.of("binpack", null), "binpack");
    refused(() -> PlacementStrategy.of("spread", "cpu"), "spread");
    refused(() -> PlacementStrategy.of("spread", null), "spread");
    refused(() -> PlacementStrategy.of("pack", "cpu"), "Invalid placement strategy type");
  }

  @Test
  void atMostFiveStrategiesAndTenConstraints() throws Exception {
    refused(
        () -> {
          try {
            PlacementStrategy.fromJson(
                json("[" + "{\"type\":\"random\"},".repeat(5) + "{\"type\":\"random\"}]"),
                List.of());
          } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
          }
        },
        "must not exceed 5");
    refused(
        () -> {
          try {
            PlacementConstraint.fromJson(
                json(
                    "["
                        + "{\"type\":\"distinctInstance\"},".repeat(10)
                        + "{\"type\":\"distinctInstance\"}]"));
          } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
          }
        },
        "must not exceed 10");
    assertThat(PlacementStrategy.fromJson(json("[]"), PlacementStrategy.RUN_TASK_DEFAULT))
        .isEqualTo(PlacementStrategy.RUN_TASK_DEFAULT);
  }

  @Test
  void distinctInstanceTakesNoExpressionAndMemberOfNeedsOne() {
    refused(
        () -> PlacementConstraint.of("distinctInstance", "attribute:a == b"), "distinctInstance");
    refused(() -> PlacementConstraint.of("memberOf", null), "memberOf");
    refused(
        () -> PlacementConstraint.of("sameInstance", null), "Invalid placement constraint type");
  }

  @Test
  void aMemberOfExpressionThatDoesNotParseIsRefusedWithItsPosition() {
    assertThatThrownBy(() -> PlacementConstraint.of("memberOf", "attribute:a == "))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
  }
}
