package dev.berth.agent.runtime;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Docker engine for one test class: connected before its tests, closed after them, and
 * every cluster handed out to a test emptied of its containers and volumes after that test.
 */
final class RealEngine implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  // One instance per test class (a static field of it), so classes run in parallel share nothing.
  private DockerRuntime runtime;
  private final List<String> clusters = new ArrayList<>();

  /** Returns the connected runtime; valid from the class's first test on. */
  DockerRuntime runtime() {
    if (runtime == null) {
      throw new IllegalStateException("the engine connects before the test class's first test");
    }
    return runtime;
  }

  /** Returns a cluster name of the test's own, whose containers are removed after the test. */
  String newCluster() {
    String cluster = DockerFixture.uniqueCluster();
    synchronized (clusters) {
      clusters.add(cluster);
    }
    return cluster;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    runtime = DockerFixture.connect();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> used;
    synchronized (clusters) {
      used = List.copyOf(clusters);
      clusters.clear();
    }
    for (String cluster : used) {
      DockerFixture.removeAll(runtime, cluster);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    runtime.close();
  }
}
