package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ECS's {@code Resource} lists as the agent registers them and DescribeContainerInstances shows
 * them: CPU and MEMORY as INTEGER, PORTS and PORTS_UDP as STRINGSET.
 */
final class ResourceList {
  private ResourceList() {}

  /** Returns the resources of an agent's {@code totalResources}; absent ones are zero or none. */
  static Resources parse(JsonNode resources) {
    int cpu = 0;
    int memory = 0;
    List<Integer> tcp = new ArrayList<>();
    List<Integer> udp = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (resources != null) {
      for (JsonNode resource : resources) {
        String name = Json.text(resource, "name");
        if (name == null || !seen.add(name)) {
          throw EcsErrors.invalidParameter(
              "Each resource in totalResources needs a name, given once.");
        }
        switch (name) {
          case "CPU" -> cpu = integer(resource, name);
          case "MEMORY" -> memory = integer(resource, name);
          case "PORTS" -> tcp = ports(resource, name);
          case "PORTS_UDP" -> udp = ports(resource, name);
          default ->
              throw EcsErrors.invalidParameter(
                  "Berth knows the resources CPU, MEMORY, PORTS and PORTS_UDP, not " + name + ".");
        }
      }
    }
    return new Resources(cpu, memory, tcp, udp);
  }

  /** Returns the resources as ECS's Resource list. */
  static ArrayNode toJson(Resources resources) {
    ArrayNode list = Json.array();
    list.add(integerResource("CPU", resources.cpu()));
    list.add(integerResource("MEMORY", resources.memory()));
    list.add(stringSetResource("PORTS", resources.tcpPorts()));
    list.add(stringSetResource("PORTS_UDP", resources.udpPorts()));
    return list;
  }

  /**
   * Returns what an instance has left, as ECS shows it: CPU and memory registered less reserved,
   * and as PORTS the ports taken, those the agent reserved for the host and those tasks hold.
   */
  static ArrayNode remaining(Resources registered, Resources reserved) {
    return toJson(
        new Resources(
                registered.cpu() - reserved.cpu(),
                registered.memory() - reserved.memory(),
                registered.tcpPorts(),
                registered.udpPorts())
            .plus(new Resources(0, 0, reserved.tcpPorts(), reserved.udpPorts())));
  }

  private static int integer(JsonNode resource, String name) {
    if (!"INTEGER".equals(Json.text(resource, "type")) || !resource.has("integerValue")) {
      throw EcsErrors.invalidParameter(name + " must be an INTEGER resource with an integerValue.");
    }
    int value = resource.get("integerValue").intValue();
    if (value < 0) {
      throw EcsErrors.invalidParameter(name + " cannot be negative.");
    }
    return value;
  }

  private static List<Integer> ports(JsonNode resource, String name) {
    if (!"STRINGSET".equals(Json.text(resource, "type"))) {
      throw EcsErrors.invalidParameter(name + " must be a STRINGSET resource.");
    }
    List<Integer> ports = new ArrayList<>();
    for (JsonNode port : resource.path("stringSetValue")) {
      try {
        int value = Integer.parseInt(port.asText());
        if (value < 0 || value > 65535) {
          throw new NumberFormatException();
        }
        ports.add(value);
      } catch (NumberFormatException e) {
        throw EcsErrors.invalidParameter(
            name + " holds '" + port.asText() + "', which is not a port number.");
      }
    }
    return ports;
  }

  private static ObjectNode integerResource(String name, int value) {
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("type", "INTEGER");
    node.put("doubleValue", 0.0);
    node.put("longValue", 0L);
    node.put("integerValue", value);
    return node;
  }

  private static ObjectNode stringSetResource(String name, List<Integer> ports) {
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("type", "STRINGSET");
    node.put("doubleValue", 0.0);
    node.put("longValue", 0L);
    node.put("integerValue", 0);
    ArrayNode values = node.putArray("stringSetValue");
    ports.forEach(port -> values.add(port.toString()));
    return node;
  }
}
