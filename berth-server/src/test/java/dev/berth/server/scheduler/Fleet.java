package dev.berth.server.scheduler;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * Container instances for placement tests, recorded straight into a {@link PlacementIndex}: each
 * with its CPU, memory, attributes and the groups of the tasks it already holds.
 */
final class Fleet {
  final PlacementIndex index = new PlacementIndex();

  /** Adds a connected ACTIVE instance with nothing reserved; returns its ARN. */
  String instance(String id, int cpu, int memory, String... attributes) {
    return instance(id, ContainerInstance.ACTIVE, true, cpu, memory, attributes);
  }

  /** Adds an instance with the status and connection given; attributes are name=value pairs. */
  String instance(
      String id, String status, boolean connected, int cpu, int memory, String... attributes) {
    List<Attribute> list = new ArrayList<>();
    for (String attribute : attributes) {
      int equals = attribute.indexOf('=');
      list.add(
          equals < 0
              ? new Attribute(attribute, null)
              : new Attribute(attribute.substring(0, equals), attribute.substring(equals + 1)));
    }
    ContainerInstance instance =
        new ContainerInstance(
            arn(id),
            "i-" + id,
            status,
            new Resources(cpu, memory, List.of(22), List.of()),
            list,
            null,
            List.of(),
            1_700_000_000_000L,
            null,
            1);
    index.put(instance, connected, Resources.NONE, List.of());
    return instance.arn();
  }

  /** Records that an instance holds tasks of a group already, each reserving the demand. */
  void holds(String id, String group, int tasks, Resources demand) {
    for (int i = 0; i < tasks; i++) {
      index.place(index.get(arn(id)), demand, group);
    }
  }

  /** Returns an instance's ARN from its id. */
  static String arn(String id) {
    return "arn:aws:ecs:us-east-1:000000000000:container-instance/default/" + id;
  }

  /** Returns the id of an instance ARN. */
  static String id(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  /** Returns the ids of the instances chosen, in order. */
  static List<String> ids(Placement placement) {
    return placement.chosen().stream().map(Fleet::id).toList();
  }
}
