package dev.berth.server.scheduler.query;

/**
 * What the cluster query language can see of a container instance: the subjects of ECS's
 * expressions. The scheduler and ListContainerInstances each adapt their own instances to it.
 */
public interface InstanceView {
  /** Returns the attribute's value, or null if absent or present without a value. */
  String attribute(String name);

  /** Returns true if the instance has the attribute, with or without a value. */
  boolean hasAttribute(String name);

  /** Returns true if the instance's agent is connected. */
  boolean agentConnected();

  /** Returns the agent version the instance registered with, or null if it gave none. */
  String agentVersion();

  /** Returns the instance's EC2 instance id. */
  String ec2InstanceId();

  /** Returns when the instance registered, in epoch millis. */
  long registeredAtMillis();

  /** Returns how many tasks are RUNNING on the instance. */
  int runningTasksCount();

  /** Returns true if a task of that group, not yet STOPPED, is on the instance. */
  boolean runsTaskOfGroup(String group);
}
