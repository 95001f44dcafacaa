package dev.berth.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The announcer against attachments that hold what they were told, in memory the test can look at
 * or wipe: it issues only the difference between the tasks' states and what the attachments hold.
 */
class ServiceAnnouncerTest {
  /** Attachments holding the ARNs of the tasks attached, and the calls made to them. */
  static final class HeldAttachments implements ServiceAttachments {
    final Set<String> held = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    String refused;

    @Override
    public void validate(
        String region,
        List<LoadBalancer> loadBalancers,
        List<dev.berth.server.ecs.shape.ServiceRegistry> serviceRegistries) {}

    @Override
    public Health health(Service service, Task task) {
      return Health.HEALTHY;
    }

    @Override
    public boolean drained(Service service, Task task) {
      return !held.contains(task.arn());
    }

    @Override
    public boolean attached(Service service, Task task) {
      return held.contains(task.arn());
    }

    @Override
    public boolean detached(Service service, Task task) {
      return !held.contains(task.arn());
    }

    @Override
    public CompletableFuture<Void> attach(Service service, Task task) {
      if (task.arn().equals(refused)) {
        throw new IllegalStateException("refused");
      }
      calls.add("attach " + task.arn());
      held.add(task.arn());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> detach(Service service, Task task) {
      calls.add("detach " + task.arn());
      held.remove(task.arn());
      return CompletableFuture.completedFuture(null);
    }
  }

  private final HeldAttachments attachments = new HeldAttachments();
  private final ServiceAnnouncer announcer = new ServiceAnnouncer(attachments);
  private final ServiceScenario world = ServiceScenario.replica(2).instances("a", "b");

  @Test
  void runningTasksAreRegisteredOnceAndStayRegistered() {
    world.settle(5);

    ServiceAnnouncer.Announcement first = announcer.announce(world.service(), world.tasks());
    ServiceAnnouncer.Announcement second = announcer.announce(world.service(), world.tasks());

    assertThat(first.registered()).isEqualTo(2);
    assertThat(second.none()).isTrue();
    assertThat(attachments.calls)
        .hasSize(2)
        .allSatisfy(call -> assertThat(call).startsWith("attach"));
  }

  @Test
  void pendingTasksAreNotRegisteredYet() {
    world.pass();

    assertThat(announcer.announce(world.service(), world.tasks()).none()).isTrue();
    assertThat(world.live())
        .allSatisfy(task -> assertThat(task.lastStatus()).isEqualTo(TaskLifecycle.PROVISIONING));
  }

  @Test
  void aTaskThatDiedIsDeregisteredOnce() {
    world.settle(5);
    announcer.announce(world.service(), world.tasks());
    Task victim = world.live().get(0);

    world.kill(victim);
    ServiceAnnouncer.Announcement announcement = announcer.announce(world.service(), world.tasks());

    assertThat(announcement.deregistered()).isEqualTo(1);
    assertThat(attachments.calls).endsWith("detach " + victim.arn());
    assertThat(announcer.announce(world.service(), world.tasks()).none()).isTrue();
  }

  @Test
  void whatTheAttachmentsLostIsRegisteredAgain() {
    world.settle(5);
    announcer.announce(world.service(), world.tasks());

    // As after a crash that lost the registrations' commit: nothing remembers them here.
    attachments.held.clear();
    ServiceAnnouncer.Announcement again = announcer.announce(world.service(), world.tasks());

    assertThat(again.registered()).isEqualTo(2);
    assertThat(attachments.held).hasSize(2);
  }

  @Test
  void aTaskTheAttachmentsRefuseDoesNotHoldUpTheOthers() {
    world.settle(5);
    attachments.refused = world.live().get(0).arn();

    ServiceAnnouncer.Announcement announcement = announcer.announce(world.service(), world.tasks());

    assertThat(announcement.registered()).isEqualTo(1);
    assertThat(attachments.held).containsExactly(world.live().get(1).arn());
  }
}
