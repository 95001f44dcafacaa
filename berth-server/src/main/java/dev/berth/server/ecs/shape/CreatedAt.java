package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/**
 * ECS's {@code CreatedAt} filter: a window of creation times, each in epoch seconds as AWS JSON
 * sends timestamps, or null for no bound.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedAt(BigDecimal before, BigDecimal after) {

  /** Returns the upper bound in epoch milliseconds, or null. */
  public Long beforeMillis() {
    return millis(before);
  }

  /** Returns the lower bound in epoch milliseconds, or null. */
  public Long afterMillis() {
    return millis(after);
  }

  private static Long millis(BigDecimal seconds) {
    return seconds == null ? null : seconds.movePointRight(3).longValue();
  }
}
