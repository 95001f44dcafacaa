package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** ECS's {@code DeploymentLifecycleHook}, kept as given; its details are a free-form document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentLifecycleHook(
    String targetType,
    String hookTargetArn,
    String roleArn,
    List<String> lifecycleStages,
    JsonNode hookDetails,
    DeploymentLifecycleHookTimeoutConfiguration timeoutConfiguration) {
  /** Creates the shape; lists are copied, an absent one stays absent. */
  public DeploymentLifecycleHook {
    lifecycleStages = lifecycleStages == null ? null : List.copyOf(lifecycleStages);
  }
}
