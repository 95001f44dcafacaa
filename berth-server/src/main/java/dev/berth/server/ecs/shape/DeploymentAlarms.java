package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** ECS's {@code DeploymentAlarms}: the CloudWatch alarms that may stop a deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentAlarms(List<String> alarmNames, boolean rollback, boolean enable) {
  /** Creates the shape; lists are copied, an absent one stays absent. */
  public DeploymentAlarms {
    alarmNames = alarmNames == null ? null : List.copyOf(alarmNames);
  }
}
