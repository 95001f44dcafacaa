package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/** ECS's {@code CanaryConfiguration} of a CANARY deployment, kept as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryConfiguration(BigDecimal canaryPercent, Integer canaryBakeTimeInMinutes) {}
