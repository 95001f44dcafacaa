package dev.berth.server.scheduler.query;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** An instance for query tests, set up field by field. */
final class FakeInstance implements InstanceView {
  private final Map<String, String> attributes = new HashMap<>();
  private final Set<String> groups = new HashSet<>();
  private boolean connected = true;
  private String agentVersion = "1.80.0";
  private String ec2InstanceId = "i-0123456789abcdef0";
  private long registeredAt = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
  private int running;

  FakeInstance attribute(String name, String value) {
    attributes.put(name, value);
    return this;
  }

  FakeInstance connected(boolean value) {
    connected = value;
    return this;
  }

  FakeInstance agentVersion(String value) {
    agentVersion = value;
    return this;
  }

  FakeInstance ec2InstanceId(String value) {
    ec2InstanceId = value;
    return this;
  }

  FakeInstance registeredAt(String instant) {
    registeredAt = Instant.parse(instant).toEpochMilli();
    return this;
  }

  FakeInstance running(int count) {
    running = count;
    return this;
  }

  FakeInstance group(String group) {
    groups.add(group);
    return this;
  }

  @Override
  public String attribute(String name) {
    return attributes.get(name);
  }

  @Override
  public boolean hasAttribute(String name) {
    return attributes.containsKey(name);
  }

  @Override
  public boolean agentConnected() {
    return connected;
  }

  @Override
  public String agentVersion() {
    return agentVersion;
  }

  @Override
  public String ec2InstanceId() {
    return ec2InstanceId;
  }

  @Override
  public long registeredAtMillis() {
    return registeredAt;
  }

  @Override
  public int runningTasksCount() {
    return running;
  }

  @Override
  public boolean runsTaskOfGroup(String group) {
    return groups.contains(group);
  }
}
