package dev.berth.server.ecs;

import dev.berth.server.ecs.state.Attribute;
import java.util.List;
import java.util.regex.Pattern;

/** ECS's rules for container instance attributes: names, values and the custom attribute limit. */
final class AttributeRules {
  /** The most custom attributes (those not set by the agent) one container instance may carry. */
  static final int MAX_CUSTOM = 10;

  /** The most attributes one PutAttributes or DeleteAttributes call may name. */
  static final int MAX_PER_CALL = 10;

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_./\\\\-]{1,128}");
  private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_.@/\\\\: -]{1,128}");

  private AttributeRules() {}

  /** Returns the stored name-and-value attributes of the attributes a caller gave. */
  static List<Attribute> given(List<dev.berth.server.ecs.shape.Attribute> given) {
    if (given == null) {
      return List.of();
    }
    return given.stream().map(each -> new Attribute(each.name(), each.value())).toList();
  }

  /** Checks each attribute's name and value as ECS does; throws InvalidParameterException. */
  static List<Attribute> check(List<Attribute> attributes) {
    for (Attribute attribute : attributes) {
      if (!NAME.matcher(attribute.name()).matches()) {
        throw EcsErrors.invalidParameter(
            "Invalid attribute name '"
                + attribute.name()
                + "'. Up to 128 letters, numbers, hyphens, underscores, forward slashes, back"
                + " slashes and periods are allowed.");
      }
      String value = attribute.value();
      if (value != null
          && (!VALUE.matcher(value).matches() || value.startsWith(" ") || value.endsWith(" "))) {
        throw EcsErrors.invalidParameter(
            "Invalid value for attribute '"
                + attribute.name()
                + "'. Up to 128 letters, numbers, hyphens, underscores, periods, at signs, forward"
                + " slashes, back slashes, colons and spaces are allowed, not at either end.");
      }
    }
    return attributes;
  }

  /** Checks that an instance's attributes hold no more custom ones than ECS allows. */
  static List<Attribute> checkCustomLimit(List<Attribute> attributes) {
    long custom = attributes.stream().filter(attribute -> isCustom(attribute.name())).count();
    if (custom > MAX_CUSTOM) {
      throw EcsErrors.attributeLimitExceeded();
    }
    return attributes;
  }

  /** Returns true for a custom attribute: one whose name is not in the agent's namespaces. */
  static boolean isCustom(String name) {
    return !name.startsWith("ecs.") && !name.startsWith("com.amazonaws.ecs.");
  }
}
