package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** ECS's {@code AwsVpcConfiguration}: the subnets and security groups of an awsvpc task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AwsVpcConfiguration(
    List<String> subnets, List<String> securityGroups, String assignPublicIp) {
  /** Creates the shape; lists are copied, an absent one stays absent. */
  public AwsVpcConfiguration {
    subnets = subnets == null ? null : List.copyOf(subnets);
    securityGroups = securityGroups == null ? null : List.copyOf(securityGroups);
  }
}
