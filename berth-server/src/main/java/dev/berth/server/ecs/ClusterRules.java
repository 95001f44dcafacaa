package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ECS's rules for a cluster's settings and capacity providers, as CreateCluster, UpdateCluster,
 * UpdateClusterSettings and PutClusterCapacityProviders check and merge them.
 */
final class ClusterRules {
  private static final String CONTAINER_INSIGHTS = "containerInsights";
  private static final Set<String> CONTAINER_INSIGHTS_VALUES =
      Set.of("enabled", "disabled", "enhanced");

  private ClusterRules() {}

  /** Returns a new cluster's settings: Container Insights disabled. */
  static ArrayNode defaultSettings() {
    return defaultSettings("disabled");
  }

  /** Returns a new cluster's settings with Container Insights as given. */
  static ArrayNode defaultSettings(String containerInsights) {
    ArrayNode settings = Json.array();
    ObjectNode insights = settings.addObject();
    insights.put("name", CONTAINER_INSIGHTS);
    insights.put("value", containerInsights);
    return settings;
  }

  /** Returns the settings with the changes applied by name, after checking the changes. */
  static ArrayNode mergeSettings(JsonNode current, JsonNode changes) {
    Map<String, String> byName = new LinkedHashMap<>();
    current.forEach(
        setting -> byName.put(setting.path("name").asText(), setting.path("value").asText()));
    if (changes != null) {
      for (JsonNode setting : changes) {
        String name = Json.text(setting, "name");
        String value = Json.text(setting, "value");
        if (name == null || value == null) {
          throw EcsErrors.invalidParameter("A cluster setting needs both a name and a value.");
        }
        if ("containerInsights".equals(name) && !CONTAINER_INSIGHTS_VALUES.contains(value)) {
          throw EcsErrors.invalidParameter(
              "Invalid value '"
                  + value
                  + "' for containerInsights. Valid values: enabled, disabled, enhanced.");
        }
        byName.put(name, value);
      }
    }
    ArrayNode merged = Json.array();
    byName.forEach(
        (name, value) -> {
          ObjectNode setting = merged.addObject();
          setting.put("name", name);
          setting.put("value", value);
        });
    return merged;
  }

  /** Returns the capacity provider names given, checked: valid names, none twice. */
  static List<String> providers(JsonNode names) {
    List<String> providers = new ArrayList<>();
    if (names != null) {
      for (JsonNode name : names) {
        String provider = name.asText();
        if (!provider.matches("[a-zA-Z0-9_-]{1,255}")) {
          throw EcsErrors.invalidParameter("Invalid capacity provider name '" + provider + "'.");
        }
        if (providers.contains(provider)) {
          throw EcsErrors.invalidParameter("Duplicate capacity provider '" + provider + "'.");
        }
        providers.add(provider);
      }
    }
    return providers;
  }

  /** Checks a capacity provider strategy against the cluster's providers, as ECS does. */
  static JsonNode strategy(List<String> providers, JsonNode strategy) {
    if (strategy == null) {
      return Json.array();
    }
    int withBase = 0;
    Set<String> seen = new HashSet<>();
    for (JsonNode item : strategy) {
      String provider = item.path("capacityProvider").asText();
      if (!providers.contains(provider)) {
        throw EcsErrors.invalidParameter(
            "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster: "
                + provider
                + ".");
      }
      if (!seen.add(provider)) {
        throw EcsErrors.invalidParameter(
            "Duplicate capacity provider '" + provider + "' in the strategy.");
      }
      if (item.path("base").asInt(0) > 0) {
        withBase++;
      }
    }
    if (withBase > 1) {
      throw EcsErrors.invalidParameter(
          "A base value can be specified for only one capacity provider in a strategy.");
    }
    return strategy;
  }
}
