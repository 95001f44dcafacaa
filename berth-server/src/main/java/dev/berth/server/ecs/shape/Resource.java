package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/** ECS's {@code Resource}: one named resource of a container instance and its value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resource(
    String name,
    String type,
    BigDecimal doubleValue,
    Long longValue,
    Integer integerValue,
    List<String> stringSetValue) {}
