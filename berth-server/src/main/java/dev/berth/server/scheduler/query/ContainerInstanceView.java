package dev.berth.server.scheduler.query;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.List;

/**
 * A stored container instance as the cluster query language sees it, read from its cluster's state:
 * agent connection, and the tasks not yet STOPPED on it, looked up once on first use.
 */
public final class ContainerInstanceView implements InstanceView {
  private final ClusterState cluster;
  private final ContainerInstance instance;
  private List<Task> activeTasks;

  /** Creates a view of an instance of that cluster. */
  public ContainerInstanceView(ClusterState cluster, ContainerInstance instance) {
    this.cluster = requireNonNull(cluster);
    this.instance = requireNonNull(instance);
  }

  @Override
  public String attribute(String name) {
    return instance.attribute(name);
  }

  @Override
  public boolean hasAttribute(String name) {
    for (Attribute attribute : instance.attributes()) {
      if (attribute.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean agentConnected() {
    return cluster.instances().agentConnected(instance.arn());
  }

  @Override
  public String agentVersion() {
    if (instance.versionInfo() == null) {
      return null;
    }
    var version = instance.versionInfo().get("agentVersion");
    return version == null || version.isNull() ? null : version.asText();
  }

  @Override
  public String ec2InstanceId() {
    return instance.ec2InstanceId();
  }

  @Override
  public long registeredAtMillis() {
    return instance.registeredAt();
  }

  @Override
  public int runningTasksCount() {
    int running = 0;
    for (Task task : activeTasks()) {
      if (TaskLifecycle.RUNNING.equals(task.lastStatus())) {
        running++;
      }
    }
    return running;
  }

  @Override
  public boolean runsTaskOfGroup(String group) {
    for (Task task : activeTasks()) {
      if (task.spec().group().equals(group)) {
        return true;
      }
    }
    return false;
  }

  private List<Task> activeTasks() {
    if (activeTasks == null) {
      activeTasks = cluster.tasks().activeOn(instance.arn());
    }
    return activeTasks;
  }
}
