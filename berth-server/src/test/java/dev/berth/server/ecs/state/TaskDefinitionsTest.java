package dev.berth.server.ecs.state;

import static dev.berth.server.ecs.state.ExampleEntities.taskDefinition;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.FakeStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** How a region's task definitions number revisions and find the latest ACTIVE one. */
class TaskDefinitionsTest {
  private static final String REGION = "us-east-1";
  private static final Executor DIRECT = Runnable::run;

  @Test
  void firstRevisionOfAFamilyIsOne() {
    TaskDefinitions taskDefinitions = loaded(FakeStore.pending());

    assertThat(taskDefinitions.nextRevision("web")).isEqualTo(1);
    assertThat(taskDefinitions.latestActive("web")).isNull();
    assertThat(taskDefinitions.revision("web", 1)).isNull();
  }

  @Test
  void nextRevisionAfterLoadContinuesAfterTheHighestStoredRevision() {
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 1, TaskDefinition.ACTIVE)))
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 2, TaskDefinition.ACTIVE)))
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 10, TaskDefinition.ACTIVE)))
            .seed(EcsRecords.of(taskDefinition(REGION, "api", 3, TaskDefinition.ACTIVE)));

    TaskDefinitions taskDefinitions = loaded(store);

    // Stored keys sort as text ("...web:10" before "...web:2"); revisions still order as numbers.
    assertThat(taskDefinitions.nextRevision("web")).isEqualTo(11);
    assertThat(taskDefinitions.nextRevision("api")).isEqualTo(4);
    assertThat(taskDefinitions.nextRevision("worker")).isEqualTo(1);
  }

  @Test
  void revisionsOfInactiveOrDeletedRevisionsAreNeverReused() {
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 1, TaskDefinition.ACTIVE)))
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 2, TaskDefinition.INACTIVE)))
            .seed(
                EcsRecords.of(taskDefinition(REGION, "web", 3, TaskDefinition.DELETE_IN_PROGRESS)));

    assertThat(loaded(store).nextRevision("web")).isEqualTo(4);
  }

  @Test
  void latestActiveSkipsInactiveAndDeletedRevisions() {
    TaskDefinition active = taskDefinition(REGION, "web", 2, TaskDefinition.ACTIVE);
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 1, TaskDefinition.ACTIVE)))
            .seed(EcsRecords.of(active))
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 3, TaskDefinition.INACTIVE)))
            .seed(
                EcsRecords.of(taskDefinition(REGION, "web", 4, TaskDefinition.DELETE_IN_PROGRESS)));

    assertThat(loaded(store).latestActive("web")).isEqualTo(active);
  }

  @Test
  void latestActiveIsNullWhenNoRevisionIsActive() {
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 1, TaskDefinition.INACTIVE)))
            .seed(EcsRecords.of(taskDefinition(REGION, "web", 2, TaskDefinition.INACTIVE)));

    assertThat(loaded(store).latestActive("web")).isNull();
  }

  @Test
  void deregisteringReplacesTheRevisionInMemory() throws Exception {
    TaskDefinition first = taskDefinition(REGION, "web", 1, TaskDefinition.ACTIVE);
    TaskDefinition second = taskDefinition(REGION, "web", 2, TaskDefinition.ACTIVE);
    FakeStore store =
        FakeStore.completingAtOnce().seed(EcsRecords.of(first)).seed(EcsRecords.of(second));
    TaskDefinitions taskDefinitions = loaded(store);
    TaskDefinition deregistered = second.withStatus(TaskDefinition.INACTIVE, 1_800_000_000_000L);

    taskDefinitions
        .submit(() -> CommandResult.of(EcsRecords.of(deregistered), deregistered))
        .get(5, SECONDS);

    assertThat(taskDefinitions.revision("web", 2)).isEqualTo(deregistered);
    assertThat(taskDefinitions.latestActive("web")).isEqualTo(first);
    assertThat(taskDefinitions.nextRevision("web")).isEqualTo(3);
  }

  @Test
  void registrationsInFlightGetDistinctRevisionsThatReadersSeeOnlyOnceDurable() throws Exception {
    FakeStore store = FakeStore.pending();
    TaskDefinitions taskDefinitions = loaded(store);

    CompletableFuture<Integer> first = taskDefinitions.submit(() -> register(taskDefinitions));
    CompletableFuture<Integer> second = taskDefinitions.submit(() -> register(taskDefinitions));

    // The second saw the first in the writer's working copy; readers see neither yet.
    assertThat(taskDefinitions.families()).isEmpty();
    assertThat(first).isNotDone();
    store.completeNext();
    assertThat(first.get(5, SECONDS)).isEqualTo(1);
    assertThat(taskDefinitions.families().get("web").keySet()).containsExactly(1);
    store.completeNext();
    assertThat(second.get(5, SECONDS)).isEqualTo(2);
    assertThat(taskDefinitions.families().get("web").keySet()).containsExactly(1, 2);
  }

  @Test
  void revisionWhoseCommitFailedIsNeitherVisibleNorUsedUp() throws Exception {
    FakeStore store = FakeStore.pending();
    TaskDefinitions taskDefinitions = loaded(store);

    CompletableFuture<Integer> failed = taskDefinitions.submit(() -> register(taskDefinitions));
    store.failNext(new java.io.IOException("disk full"));
    CompletableFuture<Integer> next = taskDefinitions.submit(() -> register(taskDefinitions));
    store.completeNext();

    assertThat(failed).isCompletedExceptionally();
    assertThat(next.get(5, SECONDS)).isEqualTo(1);
    assertThat(taskDefinitions.families().get("web").keySet()).containsExactly(1);
  }

  private static CommandResult<Integer> register(TaskDefinitions taskDefinitions) {
    int revision = taskDefinitions.nextRevision("web");
    return CommandResult.of(
        EcsRecords.of(taskDefinition(REGION, "web", revision, TaskDefinition.ACTIVE)), revision);
  }

  /** Returns the task definitions of the region after loading the store. */
  private static TaskDefinitions loaded(FakeStore store) {
    EcsState state = new EcsState(store, DIRECT);
    state.load();
    return state.region(REGION).taskDefinitions();
  }
}
