package dev.berth.server.ecs.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.Json;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.FakeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** How a cluster's container instances and tasks are replayed, indexed, loaded and deleted. */
class ClusterMembersStateTest {
  private static final Executor DIRECT = Runnable::run;
  private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";

  static ContainerInstance instance(String cluster, String id) {
    return new ContainerInstance(
        PREFIX + "container-instance/" + cluster + "/" + id,
        "i-0123456789abcdef0",
        ContainerInstance.ACTIVE,
        new Resources(1024, 2048, List.of(22), List.of()),
        List.of(new Attribute("ecs.os-type", "linux")),
        Json.object().put("agentVersion", "1.0"),
        List.of(),
        1_700_000_000_000L,
        null,
        1);
  }

  /** Returns the cluster "default" of us-east-1 as a fresh state loaded from the store has it. */
  private static ClusterState loadedDefaultCluster(FakeStore store) {
    EcsState state = new EcsState(store, DIRECT);
    state.load();
    return state.region("us-east-1").cluster("default");
  }

  static Task task(String cluster, String id, String instanceArn, String lastStatus) {
    TaskSpec spec =
        new TaskSpec(
            PREFIX + "task/" + cluster + "/" + id,
            PREFIX + "cluster/" + cluster,
            PREFIX + "task-definition/web:1",
            instanceArn,
            "EC2",
            null,
            null,
            Json.object(),
            null,
            "family:web",
            null,
            List.of(),
            false,
            new Resources(256, 512, List.of(8080), List.of()),
            1_700_000_000_000L);
    TaskLifecycle lifecycle = TaskLifecycle.provisioning(1_700_000_000_000L);
    if (!lastStatus.equals(TaskLifecycle.PROVISIONING)) {
      lifecycle = lifecycle.reported(lastStatus, null, null, null, null, 1_700_000_001_000L);
    }
    return new Task(spec, lifecycle, List.of(), List.of(), 1);
  }

  @Test
  void loadReplaysInstancesAndTasksIntoTheClusterOfTheirArn() {
    ContainerInstance instance = instance("batch", "aaa");
    Task running = task("batch", "t1", instance.arn(), TaskLifecycle.RUNNING);
    Task stopped = task("batch", "t2", instance.arn(), TaskLifecycle.STOPPED);
    Task pending = task("batch", "t3", instance.arn(), TaskLifecycle.PENDING);
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(ExampleEntities.cluster("us-east-1", "batch")))
            .seed(EcsRecords.of(instance))
            .seed(EcsRecords.of(running))
            .seed(EcsRecords.of(stopped))
            .seed(EcsRecords.of(pending));
    EcsState state = new EcsState(store, DIRECT);
    List<String> heard = new ArrayList<>();
    state.addTaskSetListener(heard::add);

    state.load();

    ClusterState batch = state.region("us-east-1").existingCluster("batch");
    assertThat(batch.instances().get(instance.arn())).isEqualTo(instance);
    assertThat(batch.instances().registeredCount()).isEqualTo(1);
    assertThat(batch.tasks().all()).containsExactly(running, stopped, pending);
    assertThat(batch.tasks().activeOn(instance.arn())).containsExactly(running, pending);
    assertThat(batch.tasks().reservedOn(instance.arn()))
        .isEqualTo(new Resources(512, 1024, List.of(8080), List.of()));
    assertThat(batch.tasks().counts()).isEqualTo(new Tasks.Counts(1, 0, 1, 0));
    assertThat(heard).as("start-up replays tell no listener").isEmpty();
  }

  @Test
  void aTaskThatStopsLeavesItsInstancesTaskSetAndReservation() {
    ContainerInstance instance = instance("default", "aaa");
    Task running = task("default", "t1", instance.arn(), TaskLifecycle.RUNNING);
    FakeStore store = FakeStore.completingAtOnce();
    EcsState state = new EcsState(store, DIRECT);
    List<String> heard = new ArrayList<>();
    state.addTaskSetListener(heard::add);
    ClusterState holder = state.region("us-east-1").cluster("default");

    holder
        .submit(
            current ->
                new CommandResult<>(List.of(EcsRecords.of(instance), EcsRecords.of(running)), null))
        .join();
    Task stopped =
        running.changed(
            running.lifecycle().reported(TaskLifecycle.STOPPED, null, null, null, null, 1L),
            running.containers());
    holder.submit(current -> CommandResult.of(EcsRecords.of(stopped), null)).join();

    assertThat(heard).containsExactly(instance.arn(), instance.arn());
    assertThat(holder.tasks().activeOn(instance.arn())).isEmpty();
    assertThat(holder.tasks().reservedOn(instance.arn())).isEqualTo(Resources.NONE);
    assertThat(holder.tasks().anyActive()).isFalse();
    assertThat(holder.tasks().counts()).isEqualTo(new Tasks.Counts(0, 0, 0, 0));
  }

  @Test
  void anInstancesReservationIsTheSumOfItsTasksThatAreNotStopped() {
    ContainerInstance instance = instance("default", "aaa");
    Task first = task("default", "t1", instance.arn(), TaskLifecycle.PROVISIONING);
    Task second = task("default", "t2", instance.arn(), TaskLifecycle.PROVISIONING);
    Task third = task("default", "t3", instance.arn(), TaskLifecycle.PROVISIONING);
    EcsState state = new EcsState(FakeStore.completingAtOnce(), DIRECT);
    ClusterState holder = state.region("us-east-1").cluster("default");
    holder.submit(current -> CommandResult.of(EcsRecords.of(instance), null)).join();

    for (Task task : List.of(first, second, third)) {
      holder.submit(current -> CommandResult.of(EcsRecords.of(task), null)).join();
    }
    Resources threeTasks = holder.tasks().reservedOn(instance.arn());
    Task running =
        second.changed(
            second.lifecycle().reported(TaskLifecycle.RUNNING, null, null, null, null, 1L),
            second.containers());
    holder.submit(current -> CommandResult.of(EcsRecords.of(running), null)).join();
    Resources afterRunning = holder.tasks().reservedOn(instance.arn());
    Task stopped =
        first.changed(
            first.lifecycle().reported(TaskLifecycle.STOPPED, null, null, null, null, 1L),
            first.containers());
    holder.submit(current -> CommandResult.of(EcsRecords.of(stopped), null)).join();

    assertThat(threeTasks).isEqualTo(new Resources(768, 1536, List.of(8080), List.of()));
    assertThat(afterRunning).isEqualTo(threeTasks);
    assertThat(holder.tasks().reservedOn(instance.arn()))
        .isEqualTo(new Resources(512, 1024, List.of(8080), List.of()));
  }

  @Test
  void theListingHoldsEachTasksLatestRecordInArnOrder() {
    ContainerInstance instance = instance("default", "aaa");
    Task c = task("default", "ccc", instance.arn(), TaskLifecycle.PROVISIONING);
    Task a = task("default", "aaa", instance.arn(), TaskLifecycle.PROVISIONING);
    Task b = task("default", "bbb", instance.arn(), TaskLifecycle.PROVISIONING);
    ClusterState holder =
        new EcsState(FakeStore.completingAtOnce(), DIRECT).region("us-east-1").cluster("default");
    for (Task task : List.of(c, a, b)) {
      holder.submit(current -> CommandResult.of(EcsRecords.of(task), null)).join();
    }
    Task aRunning =
        a.changed(
            a.lifecycle().reported(TaskLifecycle.RUNNING, null, null, null, null, 1L),
            a.containers());
    holder.submit(current -> CommandResult.of(EcsRecords.of(aRunning), null)).join();
    holder
        .submit(current -> CommandResult.of(new DeleteRecord(EcsRecords.TASK, b.arn()), null))
        .join();

    assertThat(holder.tasks().all()).containsExactly(aRunning, c);
    assertThat(holder.tasks().all()).hasSize(2);
    assertThat(holder.tasks().after(null)).containsExactly(aRunning, c);
    assertThat(holder.tasks().after(a.arn())).containsExactly(c);
    // Paging resumes after an ARN whose task has gone since.
    assertThat(holder.tasks().after(b.arn())).containsExactly(c);
    assertThat(holder.tasks().after(c.arn())).isEmpty();
  }

  @Test
  void anInstanceVersionStoredOnItsOwnMovesTheInstanceOnAndSurvivesALoad() {
    ContainerInstance instance = instance("default", "aaa");
    FakeStore store = FakeStore.completingAtOnce();
    ClusterState holder = new EcsState(store, DIRECT).region("us-east-1").cluster("default");
    holder.submit(current -> CommandResult.of(EcsRecords.of(instance), null)).join();

    holder
        .submit(
            current ->
                CommandResult.of(EcsRecords.of(new InstanceVersion(instance.arn(), 5)), null))
        .join();
    ContainerInstance moved = holder.instances().get(instance.arn());
    // A record written from an older read never moves the version back.
    holder.submit(current -> CommandResult.of(EcsRecords.of(instance), null)).join();

    assertThat(moved).isEqualTo(instance.withVersion(5));
    assertThat(moved.sameButVersion(instance)).isTrue();
    assertThat(holder.instances().get(instance.arn()).version()).isEqualTo(5);
    assertThat(holder.instances().all()).containsExactly(instance.withVersion(5));
    assertThat(loadedDefaultCluster(store).instances().get(instance.arn()))
        .isEqualTo(instance.withVersion(5));
  }

  @Test
  void aStoredTasksNewVersionStoresAllButItsSpecAndALoadLaysItOverTheTask() {
    ContainerInstance instance = instance("default", "aaa");
    Task created = task("default", "t1", instance.arn(), TaskLifecycle.PROVISIONING);
    FakeStore store = FakeStore.completingAtOnce();
    ClusterState holder = new EcsState(store, DIRECT).region("us-east-1").cluster("default");
    holder.submit(current -> CommandResult.of(EcsRecords.of(instance), null)).join();
    holder.submit(current -> CommandResult.of(EcsRecords.of(created), null)).join();
    Task running =
        created
            .changed(
                created.lifecycle().reported(TaskLifecycle.RUNNING, null, null, null, null, 2L),
                created.containers())
            .withTags(List.of(new Tag("team", "blue")));

    holder.submit(current -> CommandResult.of(new TaskUpdate(running), null)).join();

    assertThat(holder.tasks().get(created.arn())).isEqualTo(running);
    assertThat(EcsRecords.TASK.read(store.get("task", created.arn())))
        .as("the task's own row stays as created")
        .isEqualTo(created);
    String update = store.get("task-update", created.arn()).body();
    assertThat(update).contains("RUNNING", "blue").doesNotContain("spec", "task-definition");
    assertThat(loadedDefaultCluster(store).tasks().get(created.arn())).isEqualTo(running);

    holder
        .submit(
            current ->
                new CommandResult<>(
                    List.of(
                        new DeleteRecord(EcsRecords.TASK, created.arn()),
                        new DeleteRecord(EcsRecords.TASK_UPDATE, created.arn())),
                    null))
        .join();
    assertThat(store.get("task-update", created.arn())).isNull();
    assertThat(loadedDefaultCluster(store).tasks().all()).isEmpty();
  }

  @Test
  void aDeleteRecordRemovesTheTaskFromMemoryAndTheStore() {
    ContainerInstance instance = instance("default", "aaa");
    Task stopped = task("default", "t1", instance.arn(), TaskLifecycle.STOPPED);
    FakeStore store = FakeStore.completingAtOnce();
    ClusterState holder = new EcsState(store, DIRECT).region("us-east-1").cluster("default");
    holder.submit(current -> CommandResult.of(EcsRecords.of(stopped), null)).join();

    holder
        .submit(current -> CommandResult.of(new DeleteRecord(EcsRecords.TASK, stopped.arn()), null))
        .join();

    assertThat(holder.tasks().get(stopped.arn())).isNull();
    assertThat(store.get("task", stopped.arn())).isNull();
  }

  @Test
  void storedTasksAndInstancesReadBackEqual() {
    ContainerInstance instance = instance("default", "aaa");
    Task task = task("default", "t1", instance.arn(), TaskLifecycle.RUNNING);
    FakeStore store = FakeStore.pending().seed(EcsRecords.of(instance)).seed(EcsRecords.of(task));

    assertThat(EcsRecords.CONTAINER_INSTANCE.read(store.get("container-instance", instance.arn())))
        .isEqualTo(instance);
    assertThat(EcsRecords.TASK.read(store.get("task", task.arn()))).isEqualTo(task);
    assertThat(task.lifecycle().stoppedAt()).isNull();
    assertThat(store.get("task", task.arn()).body())
        .as("a task's null members are left out of its row")
        .doesNotContain("null");
  }
}
