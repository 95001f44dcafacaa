package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/** ECS's {@code LinearConfiguration} of a LINEAR deployment, kept as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinearConfiguration(BigDecimal stepPercent, Integer stepBakeTimeInMinutes) {}
